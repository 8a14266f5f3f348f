"""The CORDIS reader caps what a zip member may decompress to and reads it in chunks
(issue 27, item 17): a 2.2 MB zip of blank lines drove the machine out of memory."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import REPO
from copub.errors import DataError
from copub.eu.cordis import MAX_MEMBER_RATIO, read_cordis
from copub.sample.cordis import write_cordis_sample


def _blank_zip(path: Path, compressed: int = 2_200_000) -> Path:
    """A zip whose organization.csv is a header and then blank lines, ``compressed`` bytes big."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        with archive.open("organization.csv", "w", force_zip64=True) as member:
            member.write(b"projectID;organisationID;vatNumber;name;shortName;activityType;"
                         b"country;role;ecContribution\n")  # fmt: skip
            block = b"\n" * (8 << 20)
            while path.stat().st_size < compressed:
                member.write(block)
                archive.fp.flush()  # type: ignore[union-attr]
        archive.writestr("legalBasis.csv", "projectID;legalBasis;uniqueProgrammePart\n")
    return path


def test_a_zip_of_blank_lines_is_refused_in_one_line(tmp_path: Path) -> None:
    bomb = _blank_zip(tmp_path / "blank.zip")
    assert 2_000_000 < bomb.stat().st_size < 3_000_000
    with zipfile.ZipFile(bomb) as archive:
        info = archive.getinfo("organization.csv")
        assert info.file_size > MAX_MEMBER_RATIO * info.compress_size
    with pytest.raises(DataError, match=r"blank.zip:organization.csv: decompresses to more than"):
        read_cordis(bomb)


def test_a_member_that_lies_about_its_size_is_refused(tmp_path: Path) -> None:
    """Declared small, holding 40 MB: never read past what it declares (zipfile checks
    the CRC there); declared big: refused before reading."""
    path = tmp_path / "liar.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr(
            "legalBasis.csv", b"projectID;legalBasis;uniqueProgrammePart\n" + b"\n" * (40 << 20)
        )
    with pytest.raises(DataError, match=r"liar.zip:legalBasis.csv: decompresses to more than"):
        read_cordis(path)
    data = bytearray(path.read_bytes())
    data[22:26] = (1000).to_bytes(4, "little")  # the local header's uncompressed size
    central = data.index(b"PK\x01\x02")
    data[central + 24 : central + 28] = (1000).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    with pytest.raises(DataError, match=r"liar.zip:legalBasis.csv: a damaged zip member"):
        read_cordis(path)


def test_the_cli_refuses_it_without_exhausting_memory(tmp_path: Path) -> None:
    """Exit 1, one ``copub: error`` line, and the process stays small."""
    bomb = _blank_zip(tmp_path / "blank.zip")
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "COPUB_CACHE_DIR": str(tmp_path)}
    # A fresh parent whose only child is copub, so its children's peak is copub's own (this
    # test process's children include every earlier test's).
    measure = (
        "import resource, subprocess, sys; "
        "code = subprocess.run(sys.argv[1:]).returncode; "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(code)"
    )
    done = subprocess.run(
        [sys.executable, "-c", measure, sys.executable, "-m", "copub", "eu", "--cordis",
         str(bomb)],
        capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip
    peak_kib = int(done.stdout.split()[-1])
    assert done.returncode == 1, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "decompresses to more than" in lines[0], done.stderr
    assert "Traceback" not in done.stderr
    # The child's peak resident memory (the largest child so far, in KiB on Linux).
    assert peak_kib < 1_500_000


def test_blank_lines_are_dropped_and_the_rest_is_read(tmp_path: Path) -> None:
    folder = write_cordis_sample(tmp_path / "c") / "horizon-europe"
    plain = tmp_path / "plain.zip"
    padded = tmp_path / "padded.zip"
    with zipfile.ZipFile(plain, "w") as a, zipfile.ZipFile(padded, "w") as b:
        for member in sorted(folder.glob("*.csv")):
            data = member.read_bytes()
            a.writestr(member.name, data)
            # A blank line (and one of white space) after every line.
            b.writestr(member.name, data.replace(b"\n", b"\n\n \r\n"))
    assert read_cordis(padded).participations.equals(read_cordis(plain).participations)
    assert read_cordis(plain).participations.height > 0
