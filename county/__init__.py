"""The county office's side: the desk where a county's 政务公开办公室 reviews every unit's report of
a year (:mod:`county.desk`), finds texts copied between units or from last year
(:mod:`county.copies`), ranks units by the indicators supervisors look at
(:mod:`county.indicators`) and collects the units' files (:mod:`county.collect`).

Qt-free: it reads and writes through :mod:`model` (and :mod:`published`) only, so the window,
the command line and the tests all use the same code.
"""
