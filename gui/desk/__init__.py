"""The county desk (县级汇总台): the register of units, the review of their reports, collecting
their data files, the county's 汇总 and the supervisor's indicators — one window beside the
report window, on the same database (:mod:`gui.desk.context` holds what the pages share)."""
