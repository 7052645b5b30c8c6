"""Draw the program's icon, resources/icons/nianbao.ico: 年 in white on an official red square.

    python installer/make_icon.py

The .ico is committed, so a build does not need this; run it again only to change the icon.
The glyph comes from the Noto Serif SC Bold the program ships (OFL, see resources/fonts).
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[1]
FONT = ROOT / "resources" / "fonts" / "NotoSerifSC-Bold.ttf"
OUT = Path(__file__).resolve().parents[1] / "resources" / "icons" / "nianbao.ico"
SIZES = (16, 24, 32, 48, 64, 128, 256)
RED = (200, 16, 46, 255)  # 中国红, as on official document headers
GOLD = (255, 222, 0, 255)


def draw(size: int = 256) -> Image.Image:
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    radius = size // 8
    pen.rounded_rectangle((0, 0, size - 1, size - 1), radius=radius, fill=RED)
    # A thin gold rule near the bottom, like the red-header line of a 红头文件.
    rule = max(1, size // 32)
    pen.rectangle((size // 8, size * 13 // 16, size * 7 // 8, size * 13 // 16 + rule), fill=GOLD)
    font = ImageFont.truetype(str(FONT), int(size * 0.62))
    pen.text((size / 2, size * 0.43), "年", font=font, fill="white", anchor="mm")
    return image


def main() -> None:
    draw().save(OUT, format="ICO", sizes=[(s, s) for s in SIZES])
    print(f"wrote {OUT} ({OUT.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
