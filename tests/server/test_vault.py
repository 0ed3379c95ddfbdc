"""Secrets at rest: sealed with a key from a file kept outside the database."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import make_url, select, update

from app.server.db import make_engine, migrate, session_factory
from app.server.models import ServerSecretRow, SigningKeyRow
from app.server.secrets import CODE_HASH_KEY, _new_key_row
from app.server.services import Services
from app.server.vault import SECRET_FILE_ENV, Vault, VaultError, default_secret_path


def test_sealed_secrets_open_only_with_their_key_and_purpose(tmp_path: Path) -> None:
    vault = Vault.from_file(tmp_path / "a.secret")
    sealed = vault.seal(b"signing key bytes", "signing-key:one")
    assert b"signing key bytes" not in sealed
    assert vault.open(sealed, "signing-key:one") == b"signing key bytes"
    with pytest.raises(VaultError):
        vault.open(sealed, "signing-key:two")  # a sealed value cannot be moved to another use
    with pytest.raises(VaultError, match="does not open the keys"):
        Vault.from_file(tmp_path / "b.secret").open(sealed, "signing-key:one")


def test_the_secret_file_is_created_once_for_its_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "server.secret"
    with ThreadPoolExecutor(8) as pool:  # several processes starting at once agree on one key
        vaults = list(pool.map(lambda _: Vault.from_file(path), range(8)))
    sealed = vaults[0].seal(b"x", "p")
    assert all(vault.open(sealed, "p") == b"x" for vault in vaults)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["server.secret"]  # no stray temporaries


def test_unsafe_or_damaged_secret_files_are_refused(tmp_path: Path) -> None:
    readable = tmp_path / "readable.secret"
    Vault.from_file(readable)
    readable.chmod(0o644)
    with pytest.raises(VaultError, match="chmod 600"):
        Vault.from_file(readable)
    damaged = tmp_path / "damaged.secret"
    damaged.write_text("not base64 at all!\n")
    damaged.chmod(0o600)
    with pytest.raises(VaultError, match="damaged"):
        Vault.from_file(damaged)


def test_the_database_holds_no_key_in_the_clear(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'standby.db'}"
    engine = make_engine(url)
    migrate(engine)
    services = Services(engine, Vault.from_file(tmp_path / "server.secret"))
    with services.factory() as session:
        key_row = session.scalars(select(SigningKeyRow)).one()
        secret_row = session.get(ServerSecretRow, CODE_HASH_KEY)
        assert secret_row is not None
        raw_key = services.vault.open(
            key_row.sealed_private_key, f"signing-key:{key_row.kid}:{key_row.generation}"
        )
        raw_secret = services.vault.open(secret_row.sealed_value, f"server-secret:{CODE_HASH_KEY}")
    services.close()
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("standby.db*") if p.is_file())
    assert len(raw_key) == 32
    assert len(raw_secret) == 32
    assert raw_key not in stored
    assert raw_secret not in stored
    assert b"PRIVATE KEY" not in stored


def test_default_secret_file_sits_beside_an_sqlite_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(SECRET_FILE_ENV)
    url = f"sqlite:///{tmp_path / 'standby.db'}"
    assert default_secret_path(make_url(url)) == tmp_path / "standby.db.secret"
    env = {k: v for k, v in os.environ.items() if k != SECRET_FILE_ENV}
    issued = subprocess.run(
        [sys.executable, "-m", "app.server", "codes", "issue", "--db", url],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert issued.returncode == 0, issued.stderr
    assert stat.S_IMODE((tmp_path / "standby.db.secret").stat().st_mode) == 0o600


def test_a_secret_file_that_does_not_fit_the_database_is_a_clear_error(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'standby.db'}"
    command = [sys.executable, "-m", "app.server", "codes", "issue", "--db", url]
    first = subprocess.run(
        [*command, "--secret-file", str(tmp_path / "one.secret")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert first.returncode == 0, first.stderr
    Vault.from_file(tmp_path / "two.secret")  # a real secret file, of another server
    other = subprocess.run(
        [*command, "--secret-file", str(tmp_path / "two.secret")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert other.returncode == 1
    assert other.stderr.count("\n") == 1
    assert "two.secret does not open the keys in this database" in other.stderr


def test_damaged_sealed_values_are_a_vault_error(tmp_path: Path) -> None:
    vault = Vault.from_file(tmp_path / "a.secret")
    for damaged in (b"", b"v1", b"v1" + b"x" * 20, b"v2" + vault.seal(b"x", "p")[2:]):
        with pytest.raises(VaultError):
            vault.open(damaged, "p")


def test_an_interrupted_first_start_does_not_lock_the_database(tmp_path: Path) -> None:
    """Keys half created with one secret file: another file is refused before writing."""
    engine = make_engine(f"sqlite:///{tmp_path / 'standby.db'}")
    migrate(engine)
    first = Vault.from_file(tmp_path / "first.secret")
    with session_factory(engine)() as session:  # the first start died after the signing key
        session.add(_new_key_row(first, 1))
        session.commit()
    with pytest.raises(VaultError):
        Services(engine, Vault.from_file(tmp_path / "other.secret"))
    with session_factory(engine)() as session:
        assert session.get(ServerSecretRow, CODE_HASH_KEY) is None  # nothing sealed with it
    Services(engine, first).close()  # the right file still opens everything


def test_renumbered_signing_keys_do_not_open(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'standby.db'}")
    migrate(engine)
    vault = Vault.from_file(tmp_path / "server.secret")
    Services(engine, vault).close()
    with engine.begin() as connection:
        connection.execute(update(SigningKeyRow).values(generation=SigningKeyRow.generation + 1))
    with pytest.raises(VaultError):
        Services(engine, vault)


def test_a_lost_secret_file_is_not_silently_replaced(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'standby.db'}"
    secret = tmp_path / "server.secret"
    command = [sys.executable, "-m", "app.server", "codes", "issue", "--db", url]
    command += ["--secret-file", str(secret)]
    assert subprocess.run(command, capture_output=True, check=False).returncode == 0
    secret.unlink()
    again = subprocess.run(command, capture_output=True, text=True, check=False)
    assert again.returncode == 1
    assert "does not exist, but this database's keys were sealed with one" in again.stderr
    assert not secret.exists()


def test_a_database_path_that_cannot_be_opened_is_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "a-folder"
    folder.mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "app.server", "codes", "issue", "--db", f"sqlite:///{folder}"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "cannot open the database file" in result.stderr
