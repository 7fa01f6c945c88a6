"""The audit notebook's kernel, started while the runner reads the files (runs/warm_kernel.py)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from alms_toolkit.notebook_libraries import notebook_modules
from alms_toolkit.runs.warm_kernel import WarmKernel, imported_modules


def test_imported_modules_are_the_top_level_imports_in_order_once() -> None:
    cells = [
        "import os, json as j\nfrom alms_toolkit.report.views import display as show\n",
        "%matplotlib inline\nimport never_seen",  # a magic: the cell does not parse, left out
        "from . import local\nfrom alms_toolkit.report.views import narrative\nimport os\n",
        "def f():\n    import inside_a_function\n",
        "x = 1",
    ]
    assert imported_modules(cells) == (
        "os", "json", "alms_toolkit.report.views", "alms_toolkit.report.views.display",
        "alms_toolkit.report.views.narrative",  # a name imported from a module may be a module too
    )


def test_the_notebook_runs_in_the_warm_kernel_with_a_fresh_namespace(tmp_path: Path) -> None:
    (papermill,) = notebook_modules("papermill")
    # from fractions import Fraction, from alms_toolkit.report.views import display: a name, passed
    # over, and a module, imported; from no_such_package_alms import thing: nothing to import
    # (the notebook's own import would say so); the modules after them are imported all the same
    kernel = WarmKernel(kernel_name="python3", cwd=tmp_path, extra_arguments=["--IPKernelApp.log_level=ERROR"],
                        modules=("fractions", "fractions.Fraction", "alms_toolkit.report.views.display",
                                 "no_such_package_alms", "no_such_package_alms.thing", "alms_toolkit.money"))
    try:
        kernel.also_import(("decimal", "alms_toolkit.date_text"))  # learnt later: imported before the hand-over
        km = kernel.manager()
        assert km is not None and km.has_kernel
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
            "import os, sys\n"
            "imported = all(m in sys.modules for m in ('alms_toolkit.money', 'fractions', 'alms_toolkit.date_text',\n"
            "                                          'alms_toolkit.report.views.display'))\n"
            "names = sorted(n for n in dir() if 'alms' in n)\n"
            "print(imported, names, os.getcwd())"
        )])
        out = papermill.execute_notebook(nb, str(tmp_path / "out.ipynb"), kernel_name="python3",
                                         progress_bar=False, km=km, cwd=str(tmp_path))
        cell = out.cells[0]
        assert cell.execution_count == 1  # the warm-up left no trace in the count
        assert cell.outputs[0]["text"].strip() == f"True [] {tmp_path.resolve()}"
    finally:
        kernel.close()
    assert not km.has_kernel  # shut down


def test_a_kernel_that_cannot_start_leaves_the_start_to_papermill(tmp_path: Path) -> None:
    kernel = WarmKernel(kernel_name="no-such-kernel-alms", cwd=tmp_path, extra_arguments=[], modules=())
    assert kernel.manager() is None
    kernel.close()  # nothing to shut down, no error


@pytest.mark.parametrize("when", ["at once", "warmed, never handed over", "after start"])
def test_closing_a_kernel_not_used_shuts_it_down(tmp_path: Path, when: str) -> None:
    """A run refused or stopped before its notebook closes the kernel, whatever it was doing."""
    import time

    kernel = WarmKernel(kernel_name="python3", cwd=tmp_path, extra_arguments=[], modules=("json",))
    if when == "warmed, never handed over":
        time.sleep(4)  # started and warmed up: waiting to be handed over
    km = kernel.manager() if when == "after start" else None
    kernel.close()
    kernel._thread.join(30)
    assert not kernel._thread.is_alive()
    if km is not None:
        assert not km.has_kernel
    assert kernel.manager() is None  # closed: never handed out again


def _run_in_warm_kernel(tmp_path: Path, sources: list[str]) -> tuple[WarmKernel, object]:
    """``sources`` as a notebook run by papermill in a warm kernel (the kernel released after
    it, as the runner does); returns the kernel and the executed notebook or the exception."""
    (papermill,) = notebook_modules("papermill")
    kernel = WarmKernel(kernel_name="python3", cwd=tmp_path, extra_arguments=["--IPKernelApp.log_level=ERROR"],
                        modules=("json",))
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    try:
        out: object = papermill.execute_notebook(nb, str(tmp_path / "out.ipynb"), kernel_name="python3",
                                                 progress_bar=False, km=kernel.manager(), cwd=str(tmp_path))
    except Exception as exc:  # noqa: BLE001 - the test looks at it
        out = exc
    finally:
        kernel.release()
    return kernel, out


def test_a_kernel_that_dies_mid_notebook_is_reported_not_waited_for(tmp_path: Path) -> None:
    """A kernel killed mid-run (out of memory, a crash in a C library) ends the run with
    papermill's error at once, as a kernel papermill started would: it never hangs."""
    import threading

    got: dict[str, object] = {}

    def run() -> None:
        kernel, got["out"] = _run_in_warm_kernel(tmp_path, ["import os; os._exit(1)", "print('after')"])
        kernel.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(60)
    assert not thread.is_alive(), "the run waited for a dead kernel"
    assert type(got["out"]).__name__ in ("DeadKernelError", "PapermillExecutionError"), got["out"]


def test_runs_in_one_process_leave_no_thread_or_socket_behind(tmp_path: Path) -> None:
    """Batch workers run many audits in one process: each run's kernel clients are closed."""
    import gc
    import os
    import threading

    def fds() -> int:
        return len(os.listdir("/proc/self/fd"))

    kernel, _ = _run_in_warm_kernel(tmp_path, ["x = 1"])
    kernel.close()
    threads, files = threading.active_count(), fds()
    for _ in range(3):
        kernel, out = _run_in_warm_kernel(tmp_path, ["x = 1"])
        kernel.close()
        assert not isinstance(out, Exception), out
    assert threading.active_count() <= threads
    gc.collect()  # nbclient's event loops of the runs are garbage; their files go with them
    assert fds() <= files + 2


def test_a_kernel_that_has_run_the_notebook_exits_gracefully(tmp_path: Path) -> None:
    """Released after the notebook, the kernel is asked to exit, not killed: its exit handlers
    run (matplotlib removes its temporary folder, for one)."""
    flag = tmp_path / "exited.txt"
    kernel, out = _run_in_warm_kernel(tmp_path, [
        f"import atexit, pathlib; atexit.register(pathlib.Path({str(flag)!r}).write_text, 'bye')"])
    kernel.close()
    assert not isinstance(out, Exception), out
    assert flag.read_text() == "bye"


def test_a_threads_event_loop_made_by_a_blocking_call_is_closed() -> None:
    """jupyter_client's and nbclient's blocking calls make an asyncio loop for the calling
    thread and leave it open; the run's threads close theirs (an open one, collected later,
    failed in its __del__ on its own closed socket: "Exception ignored ... Invalid file
    descriptor")."""
    import asyncio
    import threading

    from jupyter_core.utils import run_sync

    from alms_toolkit.runs.warm_kernel import close_thread_event_loop

    async def answer() -> int:
        await asyncio.sleep(0)
        return 42

    seen: dict[str, object] = {}

    def work() -> None:
        seen["answer"] = run_sync(answer)()
        loop = asyncio.get_event_loop_policy().get_event_loop()
        seen["open before"] = not loop.is_closed()
        close_thread_event_loop()
        seen["closed after"] = loop.is_closed()
        close_thread_event_loop()  # twice, or in a thread without a loop: nothing to do

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert seen == {"answer": 42, "open before": True, "closed after": True}

    main_loop = asyncio.new_event_loop()
    asyncio.set_event_loop(main_loop)
    try:
        close_thread_event_loop()  # the main thread's loop (a notebook's own) is left alone
        assert not main_loop.is_closed()
    finally:
        asyncio.set_event_loop(None)
        main_loop.close()


def test_every_cell_output_arrives_through_the_handed_kernel(tmp_path: Path) -> None:
    """papermill connects to the warm kernel with jupyter_client's own readiness check; the
    first cell's outputs, and every later one's, are all there (a check that skipped its 0.2 s
    of IOPub silence once lost the first cell's output under load)."""
    (papermill,) = notebook_modules("papermill")
    kernel = WarmKernel(kernel_name="python3", cwd=tmp_path, extra_arguments=["--IPKernelApp.log_level=ERROR"],
                        modules=("json",))
    try:
        km = kernel.manager()
        assert km is not None
        nb = nbformat.v4.new_notebook(cells=[
            nbformat.v4.new_code_cell(f"print('cell {i}')\nfrom IPython.display import display\ndisplay({i})")
            for i in range(3)])
        out = papermill.execute_notebook(nb, str(tmp_path / "out.ipynb"), kernel_name="python3",
                                         progress_bar=False, km=km, cwd=str(tmp_path))
        for i, cell in enumerate(out.cells):
            assert [o.get("text", "").strip() for o in cell.outputs if o["output_type"] == "stream"] == [f"cell {i}"]
            assert [o["data"]["text/plain"] for o in cell.outputs if o["output_type"] == "display_data"] == [str(i)]
        assert [type(c).__name__ for c in km.__dict__["alms_clients"]] == ["AsyncKernelClient"]  # papermill's
    finally:
        kernel.close()
