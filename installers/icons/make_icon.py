"""Draw the application icon (a blue rounded square with a white ticket showing "A1"):
counter-app.png (256 px, Linux desktop entries) and counter-app.ico (Windows installer and
executables). The outputs are kept in git; run again only to change the picture:
    .venv/bin/python installers/icons/make_icon.py
Pillow comes with the project's dependencies (qrcode's image support).
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent
SIZE = 256


def draw() -> Image.Image:
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.rounded_rectangle((8, 8, SIZE - 8, SIZE - 8), radius=48, fill=(21, 101, 192, 255))
    pen.rounded_rectangle((56, 40, SIZE - 56, SIZE - 40), radius=16, fill=(255, 255, 255, 255))
    pen.line((72, 176, SIZE - 72, 176), fill=(21, 101, 192, 255), width=6)
    try:
        font = ImageFont.truetype("DejaVuSans-Bold.ttf", 88)
    except OSError:
        font = ImageFont.load_default(88)
    pen.text((SIZE // 2, 112), "A1", font=font, fill=(21, 101, 192, 255), anchor="mm")
    return image


def main() -> None:
    image = draw()
    image.save(HERE / "counter-app.png")
    image.save(HERE / "counter-app.ico", sizes=[(16, 16), (32, 32), (48, 48), (64, 64), (256, 256)])


if __name__ == "__main__":
    main()
