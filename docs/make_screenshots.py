"""Take the README's playground screenshots: python docs/make_screenshots.py [FOLDER].

Starts a playground on 127.0.0.1, opens it in Debian's Chromium (driven by Playwright, never
Playwright's own browser) at 1280 x 800 and at 390 x 844 (a phone), trains a run and
writes playground-1280.png and playground-390.png (default folder: docs/). The tests run it
into a temporary folder, so the committed pictures are ones the page can draw.
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading

from glassnet.playground.server import make_server

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync",
        "--disable-background-networking", "--disable-component-update"]  # fmt: skip
# moons through a 2-6-4-1 tanh network with x1*x2 as a third input; a hidden neuron explained
WIDE = "?dataset=moons&layers=6,4&features=x1,x2,x1x2&noise=0.15&seed=3"
# on a phone: spirals through sin x1 and sin x2 besides x1, x2; the run comes first
PHONE = "?dataset=spirals&layers=8,6&features=x1,x2,sinx1,sinx2&noise=0.1&seed=2"


def _train(page, epochs: int) -> None:
    page.wait_for_function("window.playground && window.playground.page.session !== null")
    page.evaluate(f"async () => {{ for (let i = 0; i < {epochs}; i++) "
                  "await window.playground.stepOnce(1); }")  # fmt: skip


def make_screenshots(folder: str) -> list[str]:
    """Write both screenshots into ``folder``; returns their paths."""
    from playwright.sync_api import sync_playwright

    server = make_server()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    written = []
    try:
        with tempfile.TemporaryDirectory() as profile, sync_playwright() as playwright:
            browser = playwright.chromium.launch_persistent_context(
                profile, executable_path=CHROMIUM, headless=True, args=ARGS,
                viewport={"width": 1280, "height": 800})  # fmt: skip
            page = browser.new_page()
            page.goto(base + WIDE)
            _train(page, 150)
            page.click("canvas.neuron.hidden >> nth=1")
            page.wait_for_function(
                "document.getElementById('formula-title').textContent !== 'Formula'"
            )
            page.mouse.move(5, 5)  # off the neuron: the output panel shows the regions again
            page.wait_for_function(
                "document.getElementById('output-title').textContent === 'Output'"
            )
            written.append(os.path.join(folder, "playground-1280.png"))
            page.screenshot(path=written[-1])
            page.set_viewport_size({"width": 390, "height": 844})
            page.goto(base + PHONE)
            _train(page, 200)
            written.append(os.path.join(folder, "playground-390.png"))
            page.screenshot(path=written[-1])
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return written


if __name__ == "__main__":
    target = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    for path in make_screenshots(target):
        print(f"{path}  {os.path.getsize(path) / 1024:.0f} KB")
