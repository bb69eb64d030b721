"""`pip install .` outside the source tree gives a working `scan` that serves real pages."""

import os
import re
import site
import subprocess
import sys
import textwrap
import tomllib
import venv
import zipfile
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


def _requirements(wheel: Path) -> set[str]:
    """The distributions the wheel's METADATA says it needs (no extras)."""
    with zipfile.ZipFile(wheel) as archive:
        meta = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        lines = archive.read(meta).decode().splitlines()
    return {re.split(r"[ <>=!~;\[(]", line.split(":", 1)[1].strip())[0].lower()
            for line in lines if line.startswith("Requires-Dist:") and "extra ==" not in line}


@pytest.mark.slow
def test_the_wheel_installs_and_serves_pages(tmp_path):
    """The wheel goes into a fresh venv on its own (--no-deps); the dependencies it
    declares come from this environment's site-packages, through a .pth file (pip
    resolving and installing them all again took most of this test's minutes and
    tested pip). That the wheel declares every runtime dependency is checked apart."""
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--no-build-isolation", str(ROOT), "-w", str(wheels)],
                   check=True, cwd=tmp_path)
    (wheel,) = wheels.glob("samenscan-*.whl")
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert _requirements(wheel) == {re.split(r"[ <>=!~;\[]", d)[0].lower() for d in declared}
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    (site_packages,) = env_dir.glob("lib/python*/site-packages")
    # This environment's packages as a plain path: its .pth files (among them the
    # editable install of the source tree) are not read from there.
    (site_packages / "dependencies.pth").write_text(
        "\n".join(site.getsitepackages()) + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install",
                    "--quiet", "--no-deps", "--no-index", str(wheel)], check=True,
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
