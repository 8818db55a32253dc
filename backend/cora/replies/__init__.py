"""Replies being written (contract 3.5, 3.9): stop requests across processes, the identity of
the process writing a reply, and the sweep that ends replies whose writer has died."""

from cora.replies.stops import StopSignals
from cora.replies.writer import THIS_PROCESS, writer_gone

__all__ = ["THIS_PROCESS", "StopSignals", "writer_gone"]
