"""The customer's tracking page in a real headless Chromium (the distribution's package,
driven by Selenium) with JavaScript switched off and a phone's width: the shop's name,
the status, the timeline without staff notes, the carrier's tracking link; an unknown
token is a 404 page. Skipped only where Chromium is missing outside CI."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time

import pytest
import uvicorn

from app.api.server import create_app
from app.core.settings import set_setting
from tests.api.conftest import shipped_order

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
IN_CI = os.environ.get("KESTREL_REQUIRE_POSTGRES") == "1"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def live(api):
    """The same app on a real uvicorn on a free port (the browser needs a socket)."""
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(api.database), host="127.0.0.1", port=port, log_level="error")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(5)


@pytest.fixture
def browser():
    if not (CHROMIUM and DRIVER):
        message = (
            "Chromium and chromedriver are not installed (apt-get install chromium chromium-driver)"
        )
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=390,844"):
        options.add_argument(argument)
    options.add_experimental_option(
        "prefs", {"profile.managed_default_content_settings.javascript": 2}
    )
    options.add_experimental_option(  # a phone's screen: 390 CSS pixels wide
        "mobileEmulation", {"deviceMetrics": {"width": 390, "height": 844, "pixelRatio": 3}}
    )
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    yield driver
    driver.quit()


def test_the_customer_follows_the_order_in_a_browser(api, admin, live, browser):
    from selenium.webdriver.common.by import By

    with api.database.write() as s:
        set_setting(s, admin, "company_name", "Kestrel Coffee & Co")
        set_setting(s, admin, "public_url", live)
    made = shipped_order(api, admin)
    url = api.client.get(f"/api/v1/orders/{made['number']}", headers=api.auth()).json()[
        "tracking_url"
    ]
    assert url.startswith(live + "/track/")
    browser.get(url)
    assert browser.find_element(By.TAG_NAME, "h1").text == "Kestrel Coffee & Co"
    assert browser.find_element(By.ID, "number").text == made["number"]
    assert browser.find_element(By.ID, "status").text == "Shipped"
    steps = [li.text for li in browser.find_elements(By.CSS_SELECTOR, "#timeline li")]
    names = [step.rsplit(" ", 3)[0] for step in steps]  # the time is "YYYY-MM-DD HH:MM UTC"
    assert names == ["Received", "Accepted", "Confirmed", "Being picked", "Packed", "Shipped"]
    page = browser.page_source
    assert "rude" not in page and "internal" not in page and "Ada Admin" not in page
    link = browser.find_element(By.LINK_TEXT, "AP123456789IE")
    assert link.get_attribute("href") == "https://track.example/AP123456789IE?x=1"
    widths = [browser.find_element(By.TAG_NAME, tag).size["width"] for tag in ("html", "main")]
    assert max(widths) <= 390  # fits a phone: nothing wider than the screen
    browser.get(live + "/track/" + "A" * 43)
    assert "no order behind this link" in browser.find_element(By.ID, "message").text
    assert "Kestrel Coffee &amp; Co" in browser.page_source  # escaped, not raw HTML


def test_an_unknown_token_is_a_404_page(api):
    for token in ("A" * 43, "SO-000001", "<script>", "x" * 300):
        answer = api.client.get(f"/track/{token}")
        assert answer.status_code == 404 and "text/html" in answer.headers["content-type"]
        assert "<script>" not in answer.text


def test_the_page_speaks_the_customers_language(api, admin):
    """A German customer reads their page in German (i18n.customer_locale: their own
    language, else the shop's); a plain GET is enough to read its words."""
    from sqlalchemy import select, update

    from app.models import Party, SalesOrder

    made = shipped_order(api, admin)
    with api.database.write() as s:
        customer = s.scalar(
            select(SalesOrder.customer_id).where(SalesOrder.number == made["number"])
        )
        s.execute(update(Party).where(Party.id == customer).values(language="de"))
    url = api.client.get(f"/api/v1/orders/{made['number']}", headers=api.auth()).json()[
        "tracking_url"
    ]
    page = api.client.get("/track/" + url.rsplit("/track/", 1)[1])
    assert page.status_code == 200
    html = page.text
    assert '<html lang="de">' in html
    assert '<p class="status" id="status">Versandt</p>' in html
    for words in ("Bestellung", "Sendungen", "Verlauf", "Eingegangen", "Wird kommissioniert"):
        assert words in html, words
    assert "versandt" in html  # the shipment's state
    for english in ("What happened", "Shipments", "Being picked", ">Shipped<"):
        assert english not in html, english
