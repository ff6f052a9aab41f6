"""Schemathesis over the whole /api/v1, signed in as each kind of user in turn.

Usage: python run.py http://127.0.0.1:PORT   (run by `cargo xtask test`; the server must have
the demo data). Every session is opened first: the fuzzing of POST /sessione with wrong
passwords would otherwise lock this address out of the later logins. The two operations that
end the very credential in use (DELETE /sessione, DELETE /token/{id}) and the one that changes
whom the session acts for are left out of the runs; the authorization matrix and the
integration tests cover them.
"""

import json
import os
import subprocess
import sys
import urllib.request

BASE = sys.argv[1].rstrip("/")
HERE = os.path.dirname(os.path.abspath(__file__))
PASSWORD = "Sportello2026!"
ROLES = ["datore", "intermediario", "utilizzatore", "prestatore", "operatore.dg", "operatore.sede", "admin.idm"]
EXAMPLES = os.environ.get("SCHEMATHESIS_ESEMPI", "25")


def call(method, path, body=None, cookie=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(BASE + path, data=data, method=method)
    req.add_header("content-type", "application/json")
    req.add_header("origin", BASE)
    if cookie:
        req.add_header("cookie", cookie)
    with urllib.request.urlopen(req) as r:
        return r.headers.get("set-cookie", ""), json.loads(r.read() or b"null")


def login(user):
    set_cookie, _ = call("POST", "/api/v1/sessione", {"username": user, "password": PASSWORD})
    cookie = set_cookie.split(";")[0]
    if not cookie:
        sys.exit(f"login di {user}: nessun cookie")
    # A company user acts for its first subject, as after choosing it in the page.
    _, session = call("GET", "/api/v1/sessione", cookie=cookie)
    if session.get("role") in ("datore", "intermediario", "dipendente_delegato"):
        _, subjects = call("GET", "/api/v1/soggetti", cookie=cookie)
        call("PUT", "/api/v1/sessione/soggetto", {"subject_id": subjects[0]["id"]}, cookie=cookie)
    return cookie


def main():
    cookies = [(user, login(user)) for user in ROLES]
    exe = os.path.join(os.path.dirname(sys.executable), "schemathesis")
    failed = []
    for user, cookie in cookies:
        print(f"\n=== schemathesis come {user} ===", flush=True)
        cmd = [
            exe, "--config-file", os.path.join(HERE, "schemathesis.toml"), "run", BASE + "/api/v1/openapi.json",
            "-H", f"Cookie: {cookie}", "-H", f"Origin: {BASE}",
            "--max-examples", EXAMPLES, "--seed", "20261204", "--no-color",
            "--generation-with-security-parameters", "false",
            "--exclude-name", "DELETE /api/v1/sessione",
            "--exclude-name", "DELETE /api/v1/token/{id}",
            "--exclude-name", "PUT /api/v1/sessione/soggetto",
        ]
        if subprocess.run(cmd).returncode != 0:
            failed.append(user)
    if failed:
        sys.exit("schemathesis ha trovato errori come: " + ", ".join(failed))


main()
