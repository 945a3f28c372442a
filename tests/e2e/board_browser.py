"""The board in headless Chromium (Selenium 4, Debian's chromium-driver).

Driven by tests/e2e/test_board_chromium.sh against a real planwatchd with the
board fixture (board_fixture.sh).  Environment: BOARD (http://127.0.0.1:PORT),
OUTDIR (screenshots, downloads), CHROMIUM, CHROMEDRIVER.

A reporter logs in, downloads the CSV template and uploads it with bad values
(sees the violations, nothing stored), downloads the Excel template, fills it
(tests/e2e/xlsx_tool.py) and uploads it (sees the receipt); the
office returns the report with a reason and publishes the month's bulletin;
the reporter's home shows the reason; a viewer on a 412 px wide phone
viewport logs in and opens the latest published ranking and the new
bulletin, with no sideways scroll.  Prints one line per check; exits 1 when
any failed.
"""
import csv
import os
import subprocess
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

BOARD = os.environ["BOARD"]
OUT = os.environ["OUTDIR"]
DL = os.path.join(OUT, "downloads")
os.makedirs(DL, exist_ok=True)
fails = 0
checks = 0


def check(cond, what):
    global fails, checks
    checks += 1
    if not cond:
        fails += 1
        print("FAIL:", what, file=sys.stderr)


def browser(width, height, mobile=False):
    o = webdriver.ChromeOptions()
    o.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", f"--window-size={width},{height}", "--lang=zh-CN"):
        o.add_argument(flag)
    o.add_experimental_option("prefs", {"download.default_directory": DL,
                                        "download.prompt_for_download": False})
    d = webdriver.Chrome(service=Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")),
                         options=o)
    d.set_page_load_timeout(30)
    d.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": DL})
    if mobile:
        d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                          {"width": width, "height": height, "deviceScaleFactor": 1,
                           "mobile": True})
    return d


def shot(d, name):
    """A screenshot of the whole page height (the viewport grown to fit)."""
    path = os.path.join(OUT, name + ".png")
    d.save_screenshot(path)
    return path


def login(d, user, password):
    d.get(BOARD + "/login")
    d.find_element(By.ID, "user").send_keys(user)
    d.find_element(By.ID, "password").send_keys(password)
    click_and_wait(d, d.find_element(By.ID, "login"))
    check(d.current_url.rstrip("/") == BOARD, f"{user}: after login at {d.current_url}")


def no_sideways_scroll(d, what):
    sw = d.execute_script("return document.documentElement.scrollWidth")
    iw = d.execute_script("return window.innerWidth")
    check(sw <= iw, f"{what}: page {sw} px wide in a {iw} px viewport")
    return sw, iw


def click_and_wait(d, element):
    """Click a submit button and wait until the next page has loaded."""
    old = d.find_element(By.TAG_NAME, "html")
    element.click()
    for _ in range(100):
        try:
            old.tag_name
            time.sleep(0.05)
        except Exception:
            break
    for _ in range(100):
        if d.execute_script("return document.readyState") == "complete":
            return
        time.sleep(0.05)


def text(d):
    return d.find_element(By.TAG_NAME, "body").text


def download(d, button, name, what):
    """Click the button with id `button`, wait up to 10 s for DL/name; its path."""
    d.find_element(By.ID, button).click()
    path = os.path.join(DL, name)
    for _ in range(100):
        if os.path.exists(path):
            break
        time.sleep(0.1)
    check(os.path.exists(path), what)
    return path


# ---- a reporter at an office PC ------------------------------------------------
d = browser(1280, 1000)
login(d, "r_alpha", "pw-alpha-1")
body = text(d)
check("2018-03 月报" in body, "reporter home shows this month's report")
shot(d, "01-reporter-home")
tpl = download(d, "template", "template-alpha-2018-03.csv", "the template was downloaded")
rows = list(csv.reader(open(tpl, encoding="utf-8-sig"))) if os.path.exists(tpl) else []
check(rows and rows[0][0] == "指标编号", "the template's header")
bad = os.path.join(OUT, "bad.csv")
good = os.path.join(OUT, "good.csv")
with open(bad, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(rows[0] if rows else [])
    for r in rows[1:]:
        w.writerow(r[:4] + ["很多"] + r[5:])
with open(good, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(rows[0] if rows else [])
    for i, r in enumerate(rows[1:]):
        w.writerow(r[:4] + [str(41 + i)] + r[5:])

d.find_element(By.ID, "file").send_keys(bad)
click_and_wait(d, d.find_element(By.ID, "upload"))
check(len(d.find_elements(By.ID, "violations")) == 1, "a bad file shows its violations")
body = text(d)
check("nothing was changed" in body, "a bad file: nothing stored")
shot(d, "02-reporter-bad-upload")
d.get(BOARD + "/")
xtpl = download(d, "template-xlsx", "template-alpha-2018-03.xlsx", "the Excel template was downloaded")
if os.path.exists(xtpl):
    # filled as a clerk would: only the 本月值 cells, by a program other than ours
    good = os.path.join(OUT, "good.xlsx")
    ids = [f"{r[0]}={41 + i}" for i, r in enumerate(rows[1:])]
    subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__), "xlsx_tool.py"),
                    "fill", xtpl, good] + ids, check=True)
d.find_element(By.ID, "file").send_keys(good)
d.find_element(By.NAME, "progress").send_keys("浏览器报送")
click_and_wait(d, d.find_element(By.ID, "upload"))
check(len(d.find_elements(By.ID, "receipt")) == 1, "a good file gives a receipt")
body = text(d)
check("alpha" in body and "2018-03" in body, "the receipt names unit and period")
check("XLSX" in body, "the receipt says the workbook was read as XLSX")
shot(d, "03-reporter-receipt")
d.quit()

# ---- the office returns it with a reason and publishes ------------------------
d = browser(1280, 1000)
login(d, "office", "office111")
shot(d, "04-office-home")
forms = d.find_elements(By.CSS_SELECTOR, "form[action='/report/review']")
ret = None
for f in forms:
    if f.find_element(By.NAME, "unit").get_attribute("value") == "alpha" and \
            f.find_element(By.NAME, "action").get_attribute("value") == "return":
        ret = f
check(ret is not None, "the office sees a return form for alpha")
if ret is not None:
    ret.find_element(By.NAME, "reason").send_keys("第2项口径不对，请按季度累计")
    click_and_wait(d, ret.find_element(By.CSS_SELECTOR, "button"))
    check(len(d.find_elements(By.ID, "done")) == 1, "the report was returned")
d.get(BOARD + "/")
pub = d.find_element(By.CSS_SELECTOR, "form[action='/publish']")
pub.find_element(By.CSS_SELECTOR, "select[name=kind] option[value=dispatch]").click()
click_and_wait(d, pub.find_element(By.CSS_SELECTOR, "button"))
check(len(d.find_elements(By.ID, "done")) == 1, "the office published the bulletin")
shot(d, "05-office-published")
d.quit()

# ---- the reporter sees the reason ---------------------------------------------------
d = browser(1280, 1000)
login(d, "r_alpha", "pw-alpha-1")
r = d.find_elements(By.ID, "returned")
check(len(r) == 1 and "第2项口径不对" in r[0].text, "the reporter's home shows the reason")
shot(d, "06-reporter-returned")
d.quit()

# ---- a leader on a phone: 412 px --------------------------------------------------------
d = browser(412, 915, mobile=True)
login(d, "v1", "viewer111")
sw, iw = no_sideways_scroll(d, "viewer home")
shot(d, "07-viewer-home-412")
links = d.find_elements(By.CSS_SELECTOR, "a.scores-link")
check(len(links) >= 1, "the viewer's home links the published ranking")
if links:
    click_and_wait(d, links[0])
    check("/scores/2018-Q1" in d.current_url, f"the latest ranking opens: {d.current_url}")
    check("县alpha" in text(d), "the ranking lists the counties")
    sw, iw = no_sideways_scroll(d, "ranking")
    print(f"ranking at 412 px: document {sw} px wide, viewport {iw} px")
    shot(d, "08-viewer-ranking-412")
d.get(BOARD + "/dispatch/2018-03")
check("2018-03" in text(d) or "2018年3月" in text(d), "the newly published bulletin is readable")
sw, iw = no_sideways_scroll(d, "bulletin")
print(f"bulletin at 412 px: document {sw} px wide, viewport {iw} px")
shot(d, "09-viewer-bulletin-412")
d.quit()

# ---- a reporter on a phone too ----------------------------------------------------------
d = browser(412, 915, mobile=True)
d.get(BOARD + "/login")
no_sideways_scroll(d, "login page")
login(d, "r_alpha", "pw-alpha-1")
no_sideways_scroll(d, "reporter home")
shot(d, "10-reporter-home-412")
d.get(BOARD + "/units/alpha")
no_sideways_scroll(d, "unit page")
check("2018-03" in text(d), "the unit page lists the months")
shot(d, "11-unit-page-412")
d.quit()

print(f"browser: {checks} checks, {fails} failed; screenshots in {OUT}")
sys.exit(1 if fails else 0)
