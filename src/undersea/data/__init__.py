"""Data directory, downloads and caches: where files come from."""

from __future__ import annotations

from undersea.data.directory import (
    cache_dir,
    content_hash,
    data_dir,
    list_snapshots,
    snapshot_path,
    user_data_dir,
)

__all__ = [
    "cache_dir",
    "content_hash",
    "data_dir",
    "list_snapshots",
    "snapshot_path",
    "user_data_dir",
]
