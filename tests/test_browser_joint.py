"""A whole joint scoring session in Chromium: a projector and three phones in one room."""

from datetime import date, timedelta

from browser import DESKTOP, PHONE, no_horizontal_scroll, sign_in, violations
from playwright.sync_api import expect

LIVE = 6000  # ms: polling every 2 s must show a change well within this


def press(page, action: str, within: str = "main"):
    """Submit one of the projector's controls with the keyboard, as a clicker would."""
    button = page.locator(f'{within} form[action$="{action}"] button[type=submit]').last
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()


def quiet(phone):
    """While nothing changes, a phone asks only for the small JSON: no page reloads."""
    polls = []
    phone.on("request", lambda request: polls.append(request.url))
    phone.wait_for_timeout(4500)
    assert polls and all(u.endswith("/state.json") for u in polls), polls


def start_session(projector, url) -> str:
    projector.goto(f"{url}/p/1/workshops/joint/new")
    projector.fill("#title", "Samen scoren met de stuurgroep")
    projector.fill("#held_on", date.today().isoformat())
    projector.select_option("#source", "1:samen-opleiden")
    projector.check('input[name="dimensions"][value="opleiden-visie"]')
    projector.check('input[name="dimensions"][value="opleiden-realisatie"]')
    projector.locator("main form button[type=submit]").click()
    projector.wait_for_url("**/joint")
    return projector.locator("input.copy").input_value()


def join(browser, join_url, seat):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    phone = context.new_page()
    phone.goto(join_url)
    phone.select_option("#seat", seat)
    phone.locator("main form button[type=submit]").click()
    expect(phone.locator("h1")).to_have_text("Opleiden van studenten – visie")
    return phone


def place(phone, value):
    phone.locator(f'input[name="value"][value="{value}"]').check()
    phone.locator('form[action$="/place"] button[type=submit]').click()
    expect(phone.locator("p.placed")).to_contain_text(str(value))


def test_a_whole_joint_scoring_session(browser, demo_live):
    url = demo_live.url
    projector = browser.new_context(viewport=DESKTOP).new_page()
    sign_in(projector, url, "gespreksleider@demo.samenscan.nl")
    join_url = start_session(projector, url)
    screen_url = projector.url

    seats = ["school:werkplekbegeleider", "instituut:instituutsopleider", "school:schoolopleider"]
    phones = [join(browser, join_url, seat) for seat in seats]
    expect(projector.locator('[data-live="participants"]').first).to_have_text("3", timeout=LIVE)
    assert violations(phones[0]) == [] and no_horizontal_scroll(phones[0])

    for phone, value in zip(phones, [2, 3, 3], strict=True):
        place(phone, value)
    place(phones[0], 3)          # changed before the reveal
    phones[2].reload()           # a phone that reloads comes back in the step, placed once
    expect(phones[2].locator("p.placed")).to_contain_text("3")
    expect(projector.locator('[data-live="placed"]')).to_have_text("3", timeout=LIVE)
    assert violations(projector) == []

    phones[2].locator('form[action$="/note"] button[type=submit]').click()  # an empty note
    expect(phones[2].locator("p.error").first).to_be_visible()
    expect(phones[2]).to_have_url(join_url)  # back at the page's own address: it keeps following

    press(projector, "/joint/timer")  # the default 5 minutes
    for phone in phones:
        expect(phone.locator(".timer")).to_be_visible(timeout=LIVE)

    quiet(phones[0])
    note = phones[1]
    note.fill("#body", "Op de werkvloer merken we weinig van de visie.")
    note.locator('form[action$="/note"] button[type=submit]').click()
    expect(projector.locator('[data-live="notes"]')).to_have_text("1", timeout=LIVE)

    press(projector, "/joint/step/spread")
    expect(projector.locator("table.spread caption")).to_contain_text("3")
    rows = projector.locator("table.spread tbody tr")
    expect(rows.nth(2).locator("td").last).to_contain_text("3")
    expect(projector.locator("#survey-title + p.big-number")).to_be_visible()
    for phone in phones:  # the phones follow without a reload, and placing is over
        expect(phone.locator('form[action$="/place"]')).to_have_count(0, timeout=LIVE)

    press(projector, "/joint/notes")
    expect(projector.locator("ul.sticky-notes")).to_contain_text("weinig van de visie")

    press(projector, "/joint/step/agree")
    projector.locator('input[name="score"][value="2"]').check()
    projector.fill("#evidence", "Visie staat op papier, maar werkplekbegeleiders kennen hem niet.")
    projector.fill("#next_step", "Visie bespreken in het werkplekbegeleidersoverleg")
    projector.fill("#owner", "Schoolopleider")
    projector.fill("#due_on", (date.today() + timedelta(days=30)).isoformat())
    projector.locator('form[action$="/joint/agree"] button[type=submit]').click()
    expect(projector.locator("#agreed-score")).to_contain_text("2")
    assert violations(projector) == []
    expect(phones[0].locator("#joint-live")).to_contain_text("werkplekbegeleiders kennen hem",
                                                             timeout=LIVE)

    press(projector, "/joint/go", within="nav.joint-controls")  # the last: Next theme
    for phone in phones:
        expect(phone.locator("h1")).to_have_text("Opleiden van studenten – realisatie",
                                                 timeout=LIVE)
    assert violations(phones[1]) == [] and no_horizontal_scroll(phones[1])
    quiet(phones[1])

    report = projector.context.new_page()
    report.goto(f"{url}/p/1/rounds/1/report/samen-opleiden")
    expect(report.locator("main")).to_contain_text("werkplekbegeleiders kennen hem niet")
    report.goto(f"{url}/p/1/actions/")
    expect(report.locator("main")).to_contain_text(
        "Visie bespreken in het werkplekbegeleidersoverleg")
    report.goto(screen_url.replace("/joint", "/summary"))
    expect(report.locator("main")).to_contain_text("weinig van de visie")
