"""A real headless LibreOffice with the built extension installed into a private profile.

unopkg refuses root, so as root the extension goes in as `nobody` (install(user=...));
soffice itself then runs as the test's own user on that profile, with a PATH holding no
virtualenv (LibreOffice's Python breaks under one) and a HOME of its own, so the buttons find
PlanReport's interpreter only where the test puts it. Every process started here is ended by
its process group id.
"""
from __future__ import annotations

import json
import os
import pwd
import re
import signal
import socket
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

DRIVER = Path(__file__).resolve().parent / "uno_driver.py"
SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's, which has uno with python3-uno; the venv has not
STEP_TIMEOUT = 60


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Office:
    def __init__(self, root: Path):
        self.root = root
        self.home = root / "home"  # soffice's HOME: ~/.planreport/planreport.conf is looked up here
        self.profile = root / "profile"
        self.messages_file = root / "messages.jsonl"
        self.port = free_port()
        self.process = None
        self.read_messages = 0
        self.home.mkdir()
        self.profile.mkdir()
        self.install_user = "nobody" if os.geteuid() == 0 else None
        if self.install_user:
            entry = pwd.getpwnam(self.install_user)
            os.chown(self.profile, entry.pw_uid, entry.pw_gid)

    def start(self) -> None:
        env = {"PATH": "/usr/bin:/bin", "HOME": str(self.home), "LANG": "C.UTF-8",
               "PLANREPORT_LO_MESSAGES": str(self.messages_file)}
        self.process = subprocess.Popen(
            ["soffice", f"-env:UserInstallation={self.profile.as_uri()}", "--headless", "--invisible",
             "--norestore", "--nologo", "--nodefault", f"--accept=socket,host=127.0.0.1,port={self.port};urp;"],
            env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: oosplash and soffice.bin end together
        )

    def stop(self) -> None:
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        except ProcessLookupError:
            pass
        self.process = None

    def run(self, *steps: dict) -> list:
        """Run the steps in one UNO session; returns one result per step."""
        with tempfile.NamedTemporaryFile("w", suffix=".json", dir=self.root, delete=False, encoding="utf-8") as plan:
            json.dump({"port": self.port, "steps": list(steps)}, plan, ensure_ascii=False)
        env = {"PATH": "/usr/bin:/bin", "HOME": str(self.home), "LANG": "C.UTF-8"}
        proc = subprocess.run([SYSTEM_PYTHON, str(DRIVER), plan.name], capture_output=True, env=env,
                              timeout=STEP_TIMEOUT)
        assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
        return json.loads(proc.stdout)

    def new_messages(self) -> list[dict]:
        """Messages the buttons wrote since the last call (instead of a box that would block)."""
        if not self.messages_file.is_file():
            return []
        lines = self.messages_file.read_text(encoding="utf-8").splitlines()
        fresh, self.read_messages = lines[self.read_messages:], len(lines)
        return [json.loads(line) for line in fresh]

    @property
    def conf(self) -> Path:
        return self.home / ".planreport" / "planreport.conf"

    @contextmanager
    def conf_as(self, text: Optional[str]) -> Iterator[None]:
        """planreport.conf (where the buttons find PlanReport) as ``text``, or absent for None; restored after."""
        saved = self.conf.read_bytes()
        if text is None:
            self.conf.unlink()
        else:
            self.conf.write_text(text, encoding="utf-8")
        try:
            yield
        finally:
            self.conf.write_bytes(saved)


CJK = re.compile("[\u4e00-\u9fff]")


def assert_one_chinese_line(message: dict) -> None:
    text = message["message"]
    assert "\n" not in text, text
    assert CJK.search(text), text
    assert "Traceback" not in text and "内部错误" not in text and "Error" not in text, text
