"""nbclient's kernel client for the report runs: ``wait_for_ready`` without the trailing 0.2 s of silence.

jupyter_client's ``wait_for_ready`` asks for ``kernel_info`` until the shell answers and IOPub delivers a
message (both channels are connected), then drains IOPub until 0.2 s pass without a message. nbclient calls
it once per notebook, so every report, and every client of a batch on its warm kernel, waited 0.2 s for
nothing: nbclient matches IOPub messages to the request they answer and ignores the others. This client
does the same handshake and drains only what has already arrived.
"""

from __future__ import annotations

import time
from queue import Empty
from typing import Any

from jupyter_client.asynchronous.client import AsyncKernelClient
from jupyter_client.manager import KernelManager
from jupyter_core.utils import ensure_async


class PromptKernelClient(AsyncKernelClient):
    """An :class:`~jupyter_client.asynchronous.client.AsyncKernelClient` whose :meth:`wait_for_ready`
    returns as soon as the kernel has answered on both channels."""

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        if not isinstance(self.parent, KernelManager):  # no manager to ask whether the kernel lives
            await AsyncKernelClient.wait_for_ready(self, timeout)
            return
        deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
        while True:
            self.kernel_info()
            try:
                msg: dict[str, Any] = await ensure_async(self.shell_channel.get_msg(timeout=1))
            except Empty:
                pass
            else:
                if msg["msg_type"] == "kernel_info_reply":
                    try:  # IOPub is connected once it delivers the kernel's busy/idle for that request
                        await ensure_async(self.iopub_channel.get_msg(timeout=0.2))
                    except Empty:
                        pass
                    else:
                        self._handle_kernel_info_reply(msg)
                        break
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")
        while await ensure_async(self.iopub_channel.msg_ready()):  # what has arrived; no wait for silence
            await ensure_async(self.iopub_channel.get_msg(timeout=0))
