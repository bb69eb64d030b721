"""Every page is usable by everyone: axe-core (WCAG 2.1 A/AA), the keyboard, every screen."""

import pytest
from browser import DESKTOP, PHONE, no_horizontal_scroll, violations
from browser import sign_in as sign_in_as
from playwright.sync_api import expect

COORDINATOR = "coordinator@demo.samenscan.nl"
TABLET = {"width": 768, "height": 1024}
WIDE = {"width": 1366, "height": 768}


def sign_in(page, url, email=COORDINATOR):
    sign_in_as(page, url, email)


def signed_in_pages(w):
    return [
        "/", "/p/1/", "/p/1/partners", "/p/1/partners/1", "/p/1/members", "/p/1/rounds/new",
        f"/p/1/rounds/{w.round}", f"/p/1/rounds/{w.round}/links/print",
        "/p/1/rounds/1/report/samen-opleiden", "/p/1/rounds/1/report/leermechanismen",
        "/p/1/years/samen-opleiden", "/catalogue/", "/catalogue/sets/leermechanismen",
        "/catalogue/decks/samen-opleiden", "/catalogue/decks/samen-opleiden/print?lang=both",
        "/p/1/workshops/", "/p/1/workshops/new", f"/p/1/workshops/{w.workshop}",
        f"/p/1/workshops/{w.workshop}/present", f"/p/1/workshops/{w.workshop}/summary",
        "/p/1/actions/", f"/p/1/actions/{w.action}", "/account/password", "/p/1/audit", "/p/99/",
        "/account/two-factor",
        "/p/1/roles", f"/p/1/rounds/{w.round}/links/{w.link}/reminder",
        "/p/1/workshops/joint/new", f"/p/1/workshops/{w.joint}/joint", "/p/1/workshops/2/joint",
        "/p/1/workshops/2/summary", f"/p/1/rounds/{w.round}/links/{w.link}/people",
        f"/p/1/rounds/{w.round}/status/closed", "/p/1/rounds/1/status/open",
        "/help/coordinator", "/help/steering-group",
    ]


def public_pages(w):
    return ["/login", f"/s/{w.token}", f"/r/{w.finished}/welcome", f"/r/{w.finished}/p/0",
            f"/r/{w.finished}/review", f"/r/{w.submitted}/thanks", f"/s/{w.closed_token}",
            f"/w/{w.workshop_token}", "/s/unknown-link", f"/invite/{w.invitation}",
            f"/w/{w.joint_token}", "/password/forgot", "/help/", "/help/respondent",
            "/help/facilitator", f"/r/{w.submitted}/mirror"]


def test_the_questionnaire_error_page_has_no_violations(browser, demo_live, demo_world):
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{demo_live.url}/s/{demo_world.token}")
    page.locator("main form button[type=submit]").click()
    page.locator("main a.button.primary").click()
    page.locator("button[name=next]").click()
    assert page.locator(".error-summary").is_visible()
    assert violations(page) == []


def tab_to(page, selector: str, limit: int = 120):
    """Press Tab until the focused element matches; every stop must show its focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate("""() => {
            const el = document.activeElement, style = getComputedStyle(el);
            return {visible: style.outlineStyle !== 'none' || style.boxShadow !== 'none',
                    tag: el.tagName, html: el.outerHTML.slice(0, 80)}; }""")
        if focused["tag"] != "BODY":
            assert focused["visible"], f"focus not visible on {focused}"
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_a_respondent_answers_with_the_keyboard_alone(browser, demo_live, demo_world, demo_app):
    page = browser.new_page(viewport=DESKTOP)
    page.goto(f"{demo_live.url}/s/{demo_world.token}")
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/welcome")
    tab_to(page, "main a.button.primary")
    page.keyboard.press("Enter")
    page.wait_for_url("**/p/0")
    pages = int(page.locator("progress").get_attribute("max"))   # pages with statements
    for number in range(pages):
        items = page.locator("fieldset.item").count()
        for n in range(items):
            tab_to(page, f"fieldset.item:nth-of-type({n + 1}) input[type=radio]")
            page.keyboard.press("Space")       # chooses the first point of the scale
            page.keyboard.press("ArrowRight")  # and moves on to the second
        tab_to(page, "button[name=next]")
        page.keyboard.press("Enter")
        page.wait_for_url("**/review" if number == pages - 1 else f"**/p/{number + 1}")
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/thanks")


def test_a_workshop_runs_with_the_keyboard_alone(browser, demo_live, demo_world):
    page = browser.new_page(viewport=DESKTOP)
    sign_in(page, demo_live.url, "gespreksleider@demo.samenscan.nl")
    page.goto(f"{demo_live.url}/p/1/workshops/{demo_world.workshop}")
    tab_to(page, "#count")
    page.keyboard.press("Control+A")
    page.keyboard.type("2")
    tab_to(page, 'form[action$="/draw"] button[type=submit]')
    page.keyboard.press("Enter")
    expect(page.locator("ol.sequence > li")).to_have_count(3)
    tab_to(page, "#notes")
    page.keyboard.type("Afspraak: samen een jaarplanning maken.")
    tab_to(page, "#text")
    page.keyboard.type("Jaarplanning maken")
    tab_to(page, "#owner")
    page.keyboard.type("Stuurgroep")
    tab_to(page, 'form[action$="/agreements"] button[type=submit]')
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_contain_text("Jaarplanning maken")
    tab_to(page, "a.button.primary[href$='/present']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/present")
    page.keyboard.press("Space")
    expect(page.locator(".counter")).to_contain_text("2 van")
    page.keyboard.press("ArrowDown")
    expect(page.locator(".stage-follow-up li")).to_have_count(1)


TAP_TARGETS = ("main button:visible, main .button:visible, main select:visible, "
               "main textarea:visible, main input:not([type=hidden]):not([type=radio])"
               ":not([type=checkbox]):visible, main .scale .option:visible")


# One walk over every page per screen width, checking all a page must pass there: one
# page load serves axe, the fit, the tap targets and the content security policy (the
# walks were separate before and loaded every page six times). The tablet's width is
# checked for fit on the laptop's page narrowed to 768 px, not on a third load of every
# page: the style sheet applies there as on a page loaded at 768 px, and the one script
# that reads the width (charts.js) tells only a phone (under 40rem) from anything wider,
# so a tablet gets the laptop's page.
SWEEPS = {"phone": (PHONE, ("axe", "fit", "taps")),
          "desktop": (DESKTOP, ("axe", "fit", "csp", "tablet"))}


def _watch_the_policy(page, blocked: list) -> None:
    page.on("console", lambda m: blocked.append(m.text)
            if "Content Security Policy" in m.text or "Content-Security-Policy" in m.text
            else None)
    page.add_init_script("document.addEventListener('securitypolicyviolation', e => "
                         "console.error('Content Security Policy: ' + e.violatedDirective))")


def _small_tap_targets(page) -> list:
    return [box for box in page.locator(TAP_TARGETS).evaluate_all(
        "els => els.map(e => [e.outerHTML.slice(0, 60), e.getBoundingClientRect().height])")
        if box[1] < 44]


# Resolves once the page fits its width, or false after 3 s (evaluated by Playwright, not
# by the page, so the content security policy is not asked to allow it).
FITS_SOON = """() => new Promise(resolve => {
    const root = document.documentElement, end = performance.now() + 3000;
    (function poll() {
        if (root.scrollWidth <= root.clientWidth) resolve(true);
        else if (performance.now() > end) resolve(false);
        else requestAnimationFrame(poll);
    })(); })"""


def _fits_a_tablet(page) -> bool:
    """The page narrowed to a tablet's width fits it once its charts have re-laid
    themselves out (plotly follows the window's size); then back to the laptop's."""
    page.set_viewport_size(TABLET)
    try:
        return page.evaluate(FITS_SOON)
    finally:
        page.set_viewport_size(DESKTOP)


def _check(page, path: str, checks: tuple, found: dict) -> None:
    # Charts and plotly come after the first paint, on the pages that name plotly; on
    # the others everything is there at the load event (the joint pages poll later).
    if page.locator("script[data-plotly]").count():
        page.wait_for_load_state("networkidle")
    if "csp" in checks and "/report/" in path:
        # A chart draws when it comes into view; with the site menu shown again the
        # radar starts below a laptop's first screen, so scroll to it as a reader does.
        page.locator("#radar").scroll_into_view_if_needed()
        page.wait_for_selector("#radar .main-svg")   # the radar draws under the policy
    if "fit" in checks and not no_horizontal_scroll(page):
        found.setdefault(path, []).append("scrolls sideways")
    if "taps" in checks and (small := _small_tap_targets(page)):
        found.setdefault(path, []).append(f"tap targets under 44 px: {small}")
    if "axe" in checks and (broken := violations(page)):
        found.setdefault(path, []).extend(broken)
    if "tablet" in checks and not _fits_a_tablet(page):
        found.setdefault(path, []).append("scrolls sideways at 768 px")


@pytest.mark.parametrize("part", ["public", "signed in"])
@pytest.mark.parametrize("width", SWEEPS)
def test_every_page_passes_axe_fits_the_screen_and_keeps_the_policy(browser, demo_live,
                                                                    demo_world, width, part):
    """At 390, 768 and 1280 px: no axe-core (WCAG 2.1 A/AA) violation (phone and
    laptop), no page scrolls sideways (wide tables scroll inside their own labelled
    region), tap targets of at least 44 px on a phone, and on the laptop no inline
    script or eval is blocked by the content security policy while the radar draws.
    The public pages and the signed-in ones are two walks, so two workers share them."""
    viewport, checks = SWEEPS[width]
    page, found, blocked = browser.new_page(viewport=viewport), {}, []
    if "csp" in checks:
        _watch_the_policy(page, blocked)
    if part == "public":
        for path in public_pages(demo_world):
            page.goto(demo_live.url + path)
            _check(page, path, checks, found)
    else:
        sign_in(page, demo_live.url)
        for path in signed_in_pages(demo_world):
            page.goto(demo_live.url + path)
            _check(page, path, checks, found)
        admin = browser.new_page(viewport=viewport)
        sign_in(admin, demo_live.url, "admin@demo.samenscan.nl")
        for path in ("/admin/", "/admin/partnerships/1"):
            admin.goto(demo_live.url + path)
            _check(admin, path, checks, found)
    assert found == {} and blocked == []


REPORT_TABLES = ("main .table-scroll:has(> table.scores), "
                 "main .table-scroll:has(> table.differences)")


def test_the_reports_main_tables_fit_a_laptop_screen(browser, demo_live, demo_world):
    """At 1366 px the report's main tables show whole, without scrolling."""
    page = browser.new_page(viewport=WIDE)
    sign_in(page, demo_live.url)
    for set_id in ("samen-opleiden", "leermechanismen"):
        page.goto(f"{demo_live.url}/p/1/rounds/1/report/{set_id}")
        regions = page.locator(REPORT_TABLES)
        assert regions.count() >= 1
        widths = regions.evaluate_all("els => els.map(e => [e.scrollWidth, e.clientWidth])")
        assert all(scroll <= client for scroll, client in widths), (set_id, widths)
