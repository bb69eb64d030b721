"""`pip install .` outside the source tree gives a working `scan` that serves real pages."""

import os
import subprocess
import sys
import textwrap
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

SERVE = textwrap.dedent("""
    import scan
    from scan import create_app
    assert "site-packages" in scan.__file__, scan.__file__
    app = create_app({"WTF_CSRF_ENABLED": False})
    runner = app.test_cli_runner()
    assert runner.invoke(args=["create-user", "--email", "w@samenscan.nl", "--name", "W",
                               "--password", "wheel-test-password"]).exit_code == 0
    client = app.test_client()
    assert client.get("/login").status_code == 200
    client.post("/login", data={"email": "w@samenscan.nl", "password": "wheel-test-password"})
    page = client.get("/catalogue/sets/leermechanismen").get_data(as_text=True)
    deck = client.get("/catalogue/decks/ontwikkelgesprek/print").get_data(as_text=True)
    print("OK", "Identificatie" in page, "a6" in deck)
""")


@pytest.mark.slow
def test_the_wheel_installs_and_serves_pages(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--no-build-isolation", str(ROOT), "-w", str(wheels)],
                   check=True, cwd=tmp_path)
    (wheel,) = wheels.glob("samenscan-*.whl")
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(wheel)], check=True,
                   cwd=tmp_path)
    environment = {**os.environ, "SCAN_INSTANCE_PATH": str(tmp_path / "instance")}
    environment.pop("PYTHONPATH", None)
    check = subprocess.run([str(env_dir / "bin" / "scan"), "check"], capture_output=True,
                           text=True, cwd=tmp_path, env=environment)
    assert check.returncode == 0, check.stderr
    assert "site-packages/scan/questions" in check.stdout
    served = subprocess.run([str(python), "-c", SERVE], capture_output=True, text=True,
                            cwd=tmp_path, env=environment)
    assert served.stdout.strip() == "OK True True", served.stderr
