"""The resumable downloader against a real HTTP server on 127.0.0.1: resume, size checks, retries, errors."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from moneytrail.errors import FetchError
from moneytrail.fetch.http import download
from tests.fetch.conftest import Site, _etag, closed_port

PATH = "/files/bulk-downloads/2020/cm20.zip"


def fetch(site: Site, part: Path, retries: int = 2):
    return download(site.url(PATH), part, timeout=10, retries=retries, backoff=0)


@pytest.fixture
def body(bulk2020: dict[str, bytes], site: Site) -> bytes:
    site.files[PATH] = bulk2020["cm20.zip"]
    return bulk2020["cm20.zip"]


def test_full_download_is_byte_identical(site: Site, body: bytes, tmp_path: Path) -> None:
    transfer = fetch(site, tmp_path / "cm20.zip.part")
    assert (tmp_path / "cm20.zip.part").read_bytes() == body
    assert transfer.bytes == len(body) and transfer.sha256 == hashlib.sha256(body).hexdigest()
    assert transfer.resumed_from == 0 and site.requests == [(PATH, None)]


def test_a_dropped_connection_is_resumed_with_a_range_request(site: Site, body: bytes, tmp_path: Path) -> None:
    site.drop_after[PATH] = 200_000
    seen: list[tuple[int, int | None]] = []
    transfer = download(site.url(PATH), tmp_path / "cm20.zip.part", timeout=10, retries=2, backoff=0,
                        progress=lambda done, total: seen.append((done, total)))
    assert seen[0] == (0, len(body)) and (200_000, len(body)) in seen and seen[-1] == (len(body), len(body))
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)  # the bar never moves back
    assert site.requests == [(PATH, None), (PATH, "bytes=200000-")]
    assert transfer.resumed_from == 200_000 and transfer.requests == 2
    assert (tmp_path / "cm20.zip.part").read_bytes() == body
    assert transfer.sha256 == hashlib.sha256(body).hexdigest()


def test_a_later_run_continues_where_a_failed_one_stopped(site: Site, body: bytes, tmp_path: Path) -> None:
    part = tmp_path / "cm20.zip.part"
    site.drop_after[PATH] = 300_001
    with pytest.raises(FetchError, match="300,001 bytes are kept and the next run resumes from there"):
        fetch(site, part, retries=0)
    assert part.read_bytes() == body[:300_001]
    transfer = fetch(site, part, retries=0)  # a new call, as a restarted command makes
    assert site.requests[-1] == (PATH, "bytes=300001-")
    assert part.read_bytes() == body and transfer.sha256 == hashlib.sha256(body).hexdigest()


def test_a_part_of_a_file_that_changed_on_the_server_starts_over(site: Site, body: bytes, tmp_path: Path) -> None:
    part = tmp_path / "cm20.zip.part"
    site.drop_after[PATH] = 1000
    with pytest.raises(FetchError):
        fetch(site, part, retries=0)
    site.files[PATH] = b"SYNTHETIC replacement " + body  # the FEC rebuilt the file meanwhile
    fetch(site, part, retries=0)
    assert site.requests[-1] == (PATH, "bytes=1000-")  # asked with If-Range; the server sent it whole
    assert part.read_bytes() == site.files[PATH]


def test_a_complete_part_is_recognized_by_the_416_answer(site: Site, body: bytes, tmp_path: Path) -> None:
    part = tmp_path / "cm20.zip.part"
    part.write_bytes(body)  # every byte arrived, but the run stopped before it could finish
    part.with_name(part.name + ".json").write_text(json.dumps({"url": site.url(PATH), "validator": _etag(body)}))
    transfer = fetch(site, part)
    assert site.requests == [(PATH, f"bytes={len(body)}-")]
    assert transfer.resumed_from == len(body) and transfer.sha256 == hashlib.sha256(body).hexdigest()


def test_a_part_without_a_matching_validator_is_fetched_whole(site: Site, body: bytes, tmp_path: Path) -> None:
    part = tmp_path / "cm20.zip.part"
    part.write_bytes(b"SYNTHETIC stale bytes")
    part.with_name(part.name + ".json").write_text(json.dumps({"url": site.url(PATH), "validator": '"old"'}))
    transfer = fetch(site, part)
    assert part.read_bytes() == body and transfer.resumed_from == 0


def test_a_body_shorter_than_its_content_length_is_an_error(site: Site, body: bytes, tmp_path: Path) -> None:
    site.short_by[PATH] = 100
    with pytest.raises(FetchError) as caught:
        fetch(site, tmp_path / "cm20.zip.part")
    message = str(caught.value)
    assert f"sent {len(body) - 100:,} of {len(body):,} bytes" in message and "(after 3 tries)" in message
    assert "\n" not in message
    assert (tmp_path / "cm20.zip.part").stat().st_size == len(body) - 100


def test_transient_server_errors_are_retried(site: Site, body: bytes, tmp_path: Path) -> None:
    site.busy[PATH] = 2
    waits: list[float] = []
    download(site.url(PATH), tmp_path / "p", timeout=10, retries=2, backoff=0.5, sleep=waits.append)
    assert waits == [0.5, 1.0] and site.gets(PATH) == 3
    assert (tmp_path / "p").read_bytes() == body


def test_retries_run_out(site: Site, body: bytes, tmp_path: Path) -> None:
    site.busy[PATH] = 5
    with pytest.raises(FetchError, match=r"answered HTTP 503 Service Unavailable \(after 2 tries\)"):
        fetch(site, tmp_path / "p", retries=1)


def test_404_is_one_line_and_not_retried(site: Site, tmp_path: Path) -> None:
    with pytest.raises(FetchError) as caught:
        download(site.url("/files/bulk-downloads/1990/nope.zip"), tmp_path / "p", timeout=10, retries=3, backoff=0)
    message = str(caught.value)
    assert message.startswith(f"{site.url('/files/bulk-downloads/1990/nope.zip')}: not found (HTTP 404 from "
                              "127.0.0.1)")
    assert "run moneytrail load FILE" in message and "\n" not in message
    assert site.gets("/files/bulk-downloads/1990/nope.zip") == 1


def test_connection_refused_says_how_to_go_on(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{closed_port()}/files/bulk-downloads/2020/cm20.zip"
    waits: list[float] = []
    with pytest.raises(FetchError) as caught:
        download(url, tmp_path / "p", timeout=10, retries=3, backoff=1, sleep=waits.append)
    assert waits == []  # no connection at all: said at once, not after every backoff
    message = str(caught.value)
    assert message.startswith("cannot reach 127.0.0.1: ") and "refused" in message
    assert "check your connection" in message and f"download {url} by hand and run moneytrail load FILE" in message
    assert "\n" not in message and not (tmp_path / "p").exists()


def test_a_server_gone_mid_transfer_is_retried_and_the_part_kept(site: Site, body: bytes, tmp_path: Path) -> None:
    site.drop_after[PATH] = 1000
    waits: list[float] = []

    def wait(seconds: float) -> None:
        waits.append(seconds)
        site.stop()

    with pytest.raises(FetchError, match=r"^cannot reach 127.0.0.1: .*refused.* \(after 3 tries\); 1,000 bytes are "
                                         "kept and the next run resumes from there; check your connection"):
        download(site.url(PATH), tmp_path / "p", timeout=10, retries=2, backoff=1, sleep=wait)
    assert waits == [1, 2] and (tmp_path / "p").read_bytes() == body[:1000]
