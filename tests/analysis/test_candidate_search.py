"""The candidate search started ahead in a child process: the audit takes the child's answer
only when it is for the names combined, and is then identical to searching itself; a
different name set, a child that fails, or one that cannot start all fall back to the
search in the audit; no child outlives the audit, also when the audit is refused."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from name_variants import labelled_set

from alms_toolkit import engine
from alms_toolkit.analysis import candidate_search, matching
from alms_toolkit.analysis.candidate_cache import names_digest
from alms_toolkit.analysis.candidate_search import SearchAhead
from alms_toolkit.analysis.names import canonical_name
from alms_toolkit.errors import AlmsError
from alms_toolkit.inputs import load_inputs


def _ledger(names: Sequence[str]) -> str:
    lines = ["Date,Customer,Amount"]
    for i, name in enumerate(names):
        quoted = '"' + name.replace('"', '""') + '"'
        lines.append(f"2024-{1 + i % 12:02d}-{1 + i % 27:02d},{quoted},{100 + (i * 37) % 900}.{i % 100:02d}")
        if i % 3 == 0:  # an earlier row: the earlier names are matched too
            lines.append(f"2022-06-{1 + i % 27:02d},{quoted},{50 + i % 70}.00")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("ahead") / "ahead-media"
    folder.mkdir()
    names = list(labelled_set(n_families=40, seed=3).names)
    (folder / "billing.csv").write_text(_ledger(names), encoding="utf-8")
    (folder / "client.yml").write_text(
        "client: Ahead Media\nas_of: 2025-01-01\n"
        "billing: {file: billing.csv, columns: {date: Date, client: Customer, amount: Amount}}\n",
        encoding="utf-8")
    return folder


class Calls:
    """Counts the searches made in this process (the child's are not)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.n = 0
        real = matching.find_candidates

        def counted(keys: Sequence[str], threshold: float = 88.0) -> pd.DataFrame:
            self.n += 1
            return real(keys, threshold)

        monkeypatch.setattr(matching, "find_candidates", counted)


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[Calls]:
    monkeypatch.setenv("ALMS_CACHE_DIR", "off")
    yield Calls(monkeypatch)


def _ahead_everywhere(monkeypatch: pytest.MonkeyPatch, min_bytes: int = 0) -> list[SearchAhead]:
    made: list[SearchAhead] = []
    real = SearchAhead.__init__

    def init(self: SearchAhead, **_: object) -> None:
        real(self, min_names=1, min_bytes=min_bytes)
        made.append(self)

    monkeypatch.setattr(SearchAhead, "__init__", init)
    return made


@pytest.mark.parametrize("early", [True, False], ids=["started-before-reading", "started-after-reading"])
def test_the_childs_answer_is_used_and_identical(client: Path, calls: Calls, monkeypatch: pytest.MonkeyPatch,
                                                 early: bool) -> None:
    searched_here = engine.audit(client)
    assert calls.n == 1
    truth = searched_here.combination.candidates
    assert len(truth) >= 10  # the names hold near duplicates: the comparison means something
    made = _ahead_everywhere(monkeypatch, min_bytes=0 if early else 10**12)
    ahead = engine.audit(client)
    assert calls.n == 1  # not searched again here: the child's answer was taken
    assert len(made) == 1 and made[0]._process is not None and made[0]._process.returncode == 0
    assert len(made[0]._sent) == 1  # started before the reading: on the names read, which are those matched
    pd.testing.assert_frame_equal(ahead.combination.candidates, truth, check_exact=True)
    assert json.dumps(ahead.summary(), sort_keys=True, default=str) == json.dumps(
        searched_here.summary(), sort_keys=True, default=str)


def test_names_read_that_are_not_those_matched_are_searched_again(
        client: Path, calls: Calls, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The child starts on the client column's spellings while the reading goes on; rows left
    out (a totals row, a client billed only after as_of) named others: it is asked again for
    the spellings matched, gives up the first search, and the audit is the same as searching
    here."""
    import shutil

    folder = tmp_path / "with-total"
    shutil.copytree(client, folder)
    ledger = (folder / "billing.csv").read_text(encoding="utf-8")
    total = sum(Decimal(line.rsplit(",", 1)[1]) for line in ledger.splitlines()[1:])
    (folder / "billing.csv").write_text(
        ledger + "2025-02-03,Zebulon Quartz Holdings,500.00\n" + f",Grand Total,{total + 500}\n", encoding="utf-8")
    searched_here = engine.audit(folder)
    assert calls.n == 1
    spellings = set(searched_here.inputs.loaded.ledger["client"]) | set(searched_here.inputs.loaded.earlier["client"])
    assert not {"Zebulon Quartz Holdings", "Grand Total"} & spellings
    made = _ahead_everywhere(monkeypatch, min_bytes=0)
    ahead = engine.audit(folder)
    assert calls.n == 1  # the second request's answer was taken
    first, second = made[0]._sent
    assert {"Zebulon Quartz Holdings", "Grand Total"} <= set(first) and set(second) == spellings
    assert made[0]._process is not None and made[0]._process.returncode == 0
    pd.testing.assert_frame_equal(ahead.combination.candidates, searched_here.combination.candidates,
                                  check_exact=True)
    assert json.dumps(ahead.summary(), sort_keys=True, default=str) == json.dumps(
        searched_here.summary(), sort_keys=True, default=str)


def test_a_search_is_given_up_between_its_steps() -> None:
    """The child gives a search up when other names are asked for: between the search's steps."""
    keys = sorted({canonical_name(n) for n in labelled_set(n_families=20, seed=5).names})
    steps: list[int] = []

    def count() -> None:
        steps.append(1)

    assert matching.find_candidates(keys, between=count).equals(matching.find_candidates(keys))
    assert len(steps) >= 3

    class Asked(Exception):
        pass

    def asked() -> None:
        raise Asked

    with pytest.raises(Asked):
        matching.find_candidates(keys, between=asked)


def test_an_answer_for_other_names_is_not_taken(client: Path, calls: Calls) -> None:
    with SearchAhead(min_names=1, min_bytes=0) as ahead:
        inputs = load_inputs(client, ahead=ahead)
        keys = sorted({canonical_name(n) for n in inputs.loaded.ledger["client"]} | {"zorblat quintex"})
        found = ahead.find(matching.find_candidates)(keys, 88.0)
    assert calls.n == 1  # one name more: searched here
    pd.testing.assert_frame_equal(found, matching.find_candidates(keys, 88.0), check_exact=True)


def test_an_answer_for_another_threshold_is_not_taken(client: Path, calls: Calls) -> None:
    with SearchAhead(min_names=1, min_bytes=0) as ahead:
        inputs = load_inputs(client, ahead=ahead)
        keys = sorted({canonical_name(n) for n in
                       pd.concat([inputs.loaded.ledger["client"], inputs.loaded.earlier["client"]])})
        ahead.find(matching.find_candidates)(keys, 80.0)
        assert calls.n == 1
        ahead.find(matching.find_candidates)(keys, 88.0)
        assert calls.n == 1  # the threshold the child searched with: its answer


def test_a_child_that_fails_or_cannot_start_falls_back(client: Path, calls: Calls,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    truth = engine.audit(client).combination.candidates
    assert calls.n == 1
    _ahead_everywhere(monkeypatch)
    monkeypatch.setattr(sys, "executable", sys.executable + "-missing")  # cannot be started
    assert engine.audit(client).combination.candidates.equals(truth)
    assert calls.n == 2
    monkeypatch.setattr(sys, "executable", "/bin/false")  # starts, fails
    assert engine.audit(client).combination.candidates.equals(truth)
    assert calls.n == 3


def test_few_names_or_one_core_start_nothing(client: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALMS_CACHE_DIR", "off")
    with SearchAhead(min_names=10**6, min_bytes=0) as ahead:
        load_inputs(client, ahead=ahead)
        process = ahead._process
        assert process is not None and process.returncode is not None  # started early, then ended
    monkeypatch.setattr(candidate_search, "usable_cores", lambda: 1)
    with SearchAhead(min_names=1, min_bytes=0) as ahead:
        load_inputs(client, ahead=ahead)
        assert ahead._process is None


def test_no_child_outlives_a_refused_audit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALMS_CACHE_DIR", "off")
    folder = tmp_path / "one-client"
    folder.mkdir()
    rows = ["Date,Customer,Amount"] + [f"2024-0{1 + i % 9}-10,Solo Corp {i % 3},{10 ** 6 if i == 0 else 1}.00"
                                       for i in range(40)]
    (folder / "billing.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (folder / "client.yml").write_text(
        "client: Solo\nas_of: 2025-01-01\nbilling: {file: billing.csv, columns: {date: Date, client: Customer, "
        "amount: Amount}}\n", encoding="utf-8")
    made = _ahead_everywhere(monkeypatch)
    monkeypatch.setattr(sys, "executable", str(_sleeper(tmp_path)))  # a child still running at the refusal
    with pytest.raises(AlmsError):
        engine.audit(folder)  # one client holds nearly all the money: refused after the search started
    assert len(made) == 1 and made[0]._process is not None
    assert made[0]._process.returncode == -signal.SIGKILL  # ended, and reaped


def _sleeper(tmp_path: Path) -> Path:
    """A program that is not a Python of this toolkit: it never says it is ready."""
    script = tmp_path / "not-python"
    script.write_text("#!/bin/sh\nexec sleep 60\n", encoding="utf-8")
    script.chmod(0o755)
    return script


def test_a_child_that_never_gets_ready_is_not_waited_for(client: Path, calls: Calls, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """sys.executable another program (an embedding server): the audit waits READY_SECONDS,
    then searches itself and ends the child."""
    truth = engine.audit(client).combination.candidates
    made = _ahead_everywhere(monkeypatch)
    monkeypatch.setattr(sys, "executable", str(_sleeper(tmp_path)))
    monkeypatch.setattr(candidate_search, "READY_SECONDS", 0.5)
    started = time.monotonic()
    pd.testing.assert_frame_equal(engine.audit(client).combination.candidates, truth, check_exact=True)
    assert time.monotonic() - started < 20
    assert calls.n == 2
    assert made[0]._process is not None and made[0]._process.returncode == -signal.SIGKILL


def test_no_python_or_switched_off_starts_nothing(client: Path, calls: Calls,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    made = _ahead_everywhere(monkeypatch)
    monkeypatch.setenv(candidate_search.ENV_VAR, "off")
    engine.audit(client)
    monkeypatch.delenv(candidate_search.ENV_VAR)
    monkeypatch.setattr(sys, "executable", "")
    engine.audit(client)
    assert [m._process for m in made] == [None, None]
    assert calls.n == 2


def test_a_big_file_starts_the_child_before_the_reading(client: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from alms_toolkit.config import load_config

    config = load_config(client)
    size = (client / "billing.csv").stat().st_size
    with SearchAhead(min_bytes=size) as ahead:
        ahead.prepare(config)
        assert ahead._process is not None and ahead._process.poll() is None
        # it gives way to the reading from its first import on (niced before it imports)
        deadline = time.monotonic() + 10
        while _nice(ahead._process.pid) == os.nice(0) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert _nice(ahead._process.pid) == min(os.nice(0) + 10, 19)
    assert ahead._process.returncode is not None
    with SearchAhead(min_bytes=size + 1) as ahead:
        ahead.prepare(config)
        assert ahead._process is None


def test_the_child_ends_when_its_parent_is_killed(client: Path, tmp_path: Path) -> None:
    """A parent killed outright (a batch's time limit, the out-of-memory killer) leaves no
    search running."""
    code = (f"import os, sys, time\nfrom alms_toolkit.config import load_config\n"
            f"from alms_toolkit.analysis.candidate_search import SearchAhead\n"
            f"a = SearchAhead(min_bytes=0)\na.prepare(load_config({str(client)!r}))\n"
            f"print(a._process.pid, flush=True)\ntime.sleep(60)\n")
    parent = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    time.sleep(1.0)  # the child is up, waiting for names
    assert _alive(child)
    parent.kill()
    parent.wait()
    parent.stdout.close()
    deadline = time.monotonic() + 10
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(child)


def _nice(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[16])


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.split(")")[-1].split()[0] != "Z"  # a zombie has ended


def test_the_digest_reads_a_set() -> None:
    assert names_digest(["b", "a", "a"], 88) == names_digest(["a", "b"], 88.0)
    assert names_digest(["a", "b"], 88) != names_digest(["a", "b"], 87.5)
    assert names_digest(["a", "b"], 88) != names_digest(["a", "b", "c"], 88)



def test_a_child_that_imported_another_copy_answers_nothing(client: Path, calls: Calls,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(candidate_search, "__file__", "/elsewhere/alms_toolkit/analysis/candidate_search.py")
    with SearchAhead(min_names=1, min_bytes=0) as ahead:
        inputs = load_inputs(client, ahead=ahead)
        assert ahead._process is not None
        keys = sorted({canonical_name(n) for n in
                       pd.concat([inputs.loaded.ledger["client"], inputs.loaded.earlier["client"]])})
        ahead.find(matching.find_candidates)(keys, 88.0)
    assert ahead._process.returncode == 3
    assert calls.n == 1



def test_any_text_goes_through_the_pipe(tmp_path: Path, calls: Calls, monkeypatch: pytest.MonkeyPatch) -> None:
    """Names the ledger may hold (accents, CJK, emoji) reach the child and come back."""
    names = ["Café Müller GmbH", "Cafe Muller GmbH", "株式会社 東京", "株式会社 東京 支店", "Smile 😀 Co", "Smile Co",
             "Zürich Versicherungsgesellschaft", "Zürich Versicherungsgesellschaften", "Škoda Transportation",
             "Skoda Transportaton"]
    found_here = matching.find_candidates([canonical_name(n) for n in names], 88.0)
    calls.n = 0

    class Loaded:  # what start() reads of a loaded ledger
        ledger = pd.DataFrame({"client": names})
        zero_rows = earlier = pd.DataFrame({"client": pd.Series([], dtype=object)})
        config = type("C", (), {"matching": type("M", (), {"threshold": 88.0})()})()

        def factorized(self, frame: str, column: str):  # noqa: ANN201
            from alms_toolkit.io.factorized import factorize
            return factorize(getattr(self, frame)[column])

    with SearchAhead(min_names=1, min_bytes=0) as ahead:
        assert ahead.start(Loaded())  # type: ignore[arg-type]
        got = ahead.find(matching.find_candidates)(list(dict.fromkeys(canonical_name(n) for n in names)), 88.0)
    assert calls.n == 0  # the child's answer
    assert len(found_here) >= 2
    pd.testing.assert_frame_equal(got, found_here, check_exact=True)


def test_branches_rolled_up_are_searched_again(tmp_path: Path, calls: Calls, monkeypatch: pytest.MonkeyPatch) -> None:
    """With branches rolled up to their parent the names differ from those first sent: the
    search is started again for them (labels of a spelling split by client id read as the
    spelling), and its answer is taken: the same audit as searching here."""
    folder = tmp_path / "groups-media"
    folder.mkdir()
    names = list(labelled_set(n_families=25, seed=9).names)
    lines = ["Date,Customer,Customer ID,Amount"]
    for i, name in enumerate(names):
        lines.append(f'2024-{1 + i % 12:02d}-10,"{name}",N{i},{100 + i}.25')
    for town in ("Tulsa, OK", "Waco, TX", "Austin, TX"):
        lines.append(f'2024-03-05,"Allied Pharmacy Group ({town})",,{len(town) * 10}.00')
    lines.append("2024-04-05,Allied Pharmacy Group (Head Office),,900.00")
    lines += ["2024-05-05,Main Street Pharmacy,1001,70.00", "2024-06-05,Main Street Pharmacy,2044,80.00",
              "2024-06-07,Main Street Pharmacie,2044,5.00"]
    (folder / "billing.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "client.yml").write_text(
        "client: Groups\nas_of: 2025-01-01\naccept: [short_window]\nbilling: {file: billing.csv, columns: "
        "{date: Date, client: Customer, amount: Amount, client_id: Customer ID}}\nhierarchy: {rule: parenthesised}\n",
        encoding="utf-8")
    searched_here = engine.audit(folder)
    assert calls.n == 1
    assert searched_here.inputs.hierarchy is not None and searched_here.inputs.hierarchy.parent_of
    assert searched_here.inputs.shared_spellings  # Main Street Pharmacy: two ids, split
    made = _ahead_everywhere(monkeypatch)
    ahead = engine.audit(folder)
    assert calls.n == 1  # the second search's answer was taken
    assert len(made) == 1 and made[0]._process is not None and made[0]._process.returncode == 0
    pd.testing.assert_frame_equal(ahead.combination.candidates, searched_here.combination.candidates,
                                  check_exact=True)
    assert json.dumps(ahead.summary(), sort_keys=True, default=str) == json.dumps(
        searched_here.summary(), sort_keys=True, default=str)


def test_with_an_accept_the_childs_answer_is_taken(client: Path, calls: Calls,
                                                   monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """An accepted merge is made whatever the search finds; the child's answer (taken when the
    table is settled) says it was a proposed match: the same audit as searching here."""
    import shutil

    folder = tmp_path / "decided"
    shutil.copytree(client, folder)
    pair = engine.audit(folder).combination.candidates.iloc[0]
    (folder / "decisions.yml").write_text(
        f"merges:\n  - {{names: [{json.dumps(pair['name_a'])}, {json.dumps(pair['name_b'])}], decision: accept}}\n",
        encoding="utf-8")
    calls.n = 0
    searched_here = engine.audit(folder)
    assert calls.n == 1
    status = searched_here.combination.candidates.set_index(["name_a", "name_b"])["status"]
    assert status[(pair["name_a"], pair["name_b"])] == "accepted"
    reason = searched_here.combination.merge_log.set_index("raw_name")["reason"]
    assert reason[pair["name_a"]] == reason[pair["name_b"]] == "accepted match"
    _ahead_everywhere(monkeypatch)
    ahead = engine.audit(folder)
    assert calls.n == 1
    pd.testing.assert_frame_equal(ahead.combination.candidates, searched_here.combination.candidates,
                                  check_exact=True)
    pd.testing.assert_frame_equal(ahead.combination.merge_log, searched_here.combination.merge_log, check_exact=True)


def test_the_childs_canonical_keys_are_taken_and_the_same(client: Path, calls: Calls,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The child says each name's canonical key first; the audit takes them into its cache
    before combining (they are this module's keys: the same as worked out here), and the
    audit is identical. A child gone before saying them: nothing is taken."""
    from alms_toolkit.analysis import names

    truth = engine.audit(client)
    made = _ahead_everywhere(monkeypatch)
    names.clear_canonical_cache()
    taken: list[bool] = []
    real = SearchAhead.share_keys

    def share(self: SearchAhead, wait: float = 30.0) -> bool:
        taken.append(real(self, wait))
        return taken[-1]

    monkeypatch.setattr(SearchAhead, "share_keys", share)
    remembered: list[int] = []
    real_remember = names.remember_keys
    monkeypatch.setattr(names, "remember_keys", lambda n, k: (remembered.append(len(n)), real_remember(n, k))[1])
    ahead = engine.audit(client)
    assert taken == [True] and remembered == [len(made[0]._names)] and remembered[0] > 50
    sent = made[0]._names
    assert [names._KEYS[n] for n in sent] == [names._canonical(n) for n in sent]  # the same keys
    assert json.dumps(ahead.summary(), sort_keys=True, default=str) == json.dumps(
        truth.summary(), sort_keys=True, default=str)
    # a child that dies before its keys: none are taken, the audit works them out itself
    gone = SearchAhead(min_names=1)
    gone._sent = [["Acme", "Acme Ltd"]]
    gone._take(b'{"id": 1, "keys": ["acme"]}\n')  # one key for two names: not taken
    gone._take(b'{"id": 2, "keys": ["acme", "acme"]}\n')  # a request never sent: not taken
    assert gone._keys == {}
    gone._gone = True
    assert real(gone, 0.0) is False
    with pytest.raises(ValueError):
        names.remember_keys(["a", "b"], ["a"])
