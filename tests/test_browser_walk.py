"""What people trip over on their way through Samenscan, found by walking the demo in
Chromium as a respondent, a facilitator and a new coordinator, on a phone (390 px) and a
laptop (1280 px), in Dutch and English. Each test names what the person relies on."""

import pytest
from browser import DESKTOP, PHONE, sign_in


def reachable(page, locator) -> bool:
    """A person can see and click the element: it is the topmost thing at its own
    centre (not clipped away by a parent, not covered by something else)."""
    locator.scroll_into_view_if_needed()
    return locator.evaluate(
        """e => { const r = e.getBoundingClientRect();
                  if (r.width < 1 || r.height < 1) return false;
                  const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
                  return hit !== null && (hit === e || e.contains(hit)); }""")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_site_menu_is_there_to_sign_out_and_switch_language(browser, demo_live,
                                                                  viewport):
    page = browser.new_page(viewport=viewport)
    sign_in(page, demo_live.url, "coordinator@demo.samenscan.nl")
    header = page.locator("header.site")
    for name in ("Samenscan", "Hulp", "English"):
        assert reachable(page, header.get_by_role("link", name=name, exact=True)), name
    assert reachable(page, header.get_by_role("button", name="Uitloggen"))
    header.get_by_role("link", name="English").click()
    assert reachable(page, header.get_by_role("button", name="Sign out"))
    page.close()
