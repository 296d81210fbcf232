#!/usr/bin/python3
"""Renders a `propel compare --report` page to a PNG with headless Chromium, as committed under docs/.

    /usr/bin/python3 tools/bench/render_report.py report.html docs/compare-report.png [--width 1280]

Needs Debian's `chromium` and `python3-pil` (apt-get install chromium python3-pil). Chromium draws the
page into a tall window; the blank rows below the page's end are then cropped away.
"""
import argparse
import pathlib
import shutil
import subprocess
import sys
import tempfile

from PIL import Image, ImageChops


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("html")
    ap.add_argument("png")
    ap.add_argument("--width", type=int, default=1280)
    ap.add_argument("--max-height", type=int, default=12000)
    a = ap.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        sys.exit("render_report.py: Chromium not found; install it with: apt-get install chromium")
    page = pathlib.Path(a.html).resolve()
    if not page.is_file():
        sys.exit(f"render_report.py: no such report: {a.html} (write one with: propel compare A B --data D --report {a.html})")
    out = pathlib.Path(a.png).resolve()
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--hide-scrollbars", f"--user-data-dir={profile}", f"--window-size={a.width},{a.max_height}",
                        f"--screenshot={out}", page.as_uri()], check=True, capture_output=True, timeout=180)
    image = Image.open(out).convert("RGB")
    background = Image.new("RGB", image.size, image.getpixel((image.width - 1, image.height - 1)))
    box = ImageChops.difference(image, background).getbbox()
    if box is None:
        sys.exit("render_report.py: Chromium drew an empty page")
    image.crop((0, 0, image.width, min(image.height, box[3] + 40))).save(out, optimize=True)
    print(f"wrote {out} ({image.width}×{min(image.height, box[3] + 40)})")


if __name__ == "__main__":
    main()
