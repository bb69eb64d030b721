"""Joint scoring with the wall in its own window: a console, a presentation view, three phones."""

import test_browser_joint as steps
from browser import DESKTOP, PHONE, decode_qr, drawn, no_horizontal_scroll, sign_in, violations
from playwright.sync_api import expect

WALL = {"width": 1280, "height": 720}   # a projector


def in_first_screen(locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= WALL["height"]


def test_the_wall_shows_the_room_what_it_needs_and_nothing_of_the_console(browser, demo_live):
    url = demo_live.url
    context = browser.new_context(viewport=DESKTOP)
    console = context.new_page()
    sign_in(console, url, "gespreksleider@demo.samenscan.nl")
    join_url = steps.start_session(console, url)

    with context.expect_page() as opened:
        console.locator('a[href$="/joint/wall"]').click()
    wall = opened.value
    wall.set_viewport_size(WALL)
    wall.wait_for_load_state()
    assert "/joint/wall" in wall.url

    # Before anyone placed: the theme, the scale with its levels, the join code, and no controls
    expect(wall.locator(".wall-theme")).to_have_text("Opleiden van studenten – visie")
    expect(wall.locator(".wall-scale li")).to_have_count(4)
    expect(wall.locator(".wall-rubric dd")).to_have_count(4)   # every level described
    qr = wall.locator(".wall-join img")
    assert drawn(qr) and decode_qr(qr) == [join_url]
    expect(wall.locator(".wall-url")).to_have_text(join_url.split("://", 1)[1])
    assert wall.locator("main form").count() == 0
    assert wall.locator("main button").count() == 1       # only "full screen"
    assert wall.locator("main a").count() == 0
    for part in (".wall-theme", ".wall-join img", ".wall-scale"):
        assert in_first_screen(wall.locator(part)), part
    assert violations(wall) == []

    phones = [steps.join(browser, join_url, seat) for seat in
              ["school:werkplekbegeleider", "instituut:instituutsopleider",
               "school:schoolopleider"]]
    expect(wall.locator('[data-live="participants"]').first).to_have_text("3",
                                                                        timeout=steps.LIVE)
    for phone, value in zip(phones, [2, 3, 3], strict=True):
        steps.place(phone, value)
    phones[0].fill("#body", "We praten er te weinig over.")
    phones[0].locator('form[action$="/note"] button[type=submit]').click()
    expect(wall.locator('[data-live="placed"]')).to_have_text("3", timeout=steps.LIVE)

    steps.press(console, "/joint/timer")
    expect(wall.locator(".wall-timer")).to_be_visible(timeout=steps.LIVE)
    assert in_first_screen(wall.locator(".wall-timer"))

    # The reveal: a large histogram of the spread beside the survey's result
    steps.press(console, "/joint/step/spread")
    bars = wall.locator(".histogram .bars li")
    expect(bars).to_have_count(4, timeout=steps.LIVE)
    expect(bars.nth(1).locator(".bar-n")).to_have_text("1")
    expect(bars.nth(2).locator(".bar-n")).to_have_text("2")
    tall = bars.nth(2).locator(".bar").bounding_box()["height"]
    short = bars.nth(1).locator(".bar").bounding_box()["height"]
    assert tall > 150 and abs(tall - 2 * short) < 3      # large, and drawn to scale
    expect(wall.locator(".wall-mean")).to_be_visible()
    expect(wall.locator(".histogram figcaption")).to_contain_text("3")
    assert wall.locator(".sticky-notes").count() == 0    # not before the facilitator shows them

    steps.press(console, "/joint/notes")
    expect(wall.locator(".wall-notes")).to_contain_text("te weinig over", timeout=steps.LIVE)
    assert violations(wall) == []

    steps.press(console, "/joint/step/agree")
    console.locator('input[name="score"][value="2"]').check()
    console.fill("#evidence", "Visie bestaat, maar is op de werkvloer onbekend.")
    console.locator('form[action$="/joint/agree"] button[type=submit]').click()
    expect(wall.locator("#wall-agreed")).to_contain_text("2", timeout=steps.LIVE)
    assert "Te laat" not in wall.locator("body").inner_text()

    wall.set_viewport_size(PHONE)
    assert violations(wall) == [] and no_horizontal_scroll(wall)
    for phone in phones:
        phone.context.close()


def test_the_wall_belongs_to_the_partnership(client, auth, world):
    auth.login(world.b.emails["facilitator"])
    assert client.get(f"/p/{world.a.id}/workshops/{world.a.joint}/joint/wall").status_code == 404
    assert client.get(f"/p/{world.b.id}/workshops/{world.a.joint}/joint/wall").status_code == 404
    assert client.get(f"/p/{world.b.id}/workshops/{world.b.joint}/joint/wall").status_code == 200
    auth.logout()
    auth.login(world.a.emails["viewer"])
    assert client.get(f"/p/{world.a.id}/workshops/{world.a.joint}/joint/wall").status_code == 403
