"""Caching for the pages: reads keyed on the store's data version (a change shows at once in every session),
and an upload's validation once per file content."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import streamlit as st

from kansrijke.core.config import Config
from kansrijke.core.store import Store
from kansrijke.dataio import importer


def prepared_upload(store: Store, config: Config, upload: Any) -> Any:
    """``importer.prepare`` once per file content and data version in this session (reruns are free)."""
    key = (upload.sha256, upload.name, store.data_version())
    memo = st.session_state.setdefault("_prepared", {})
    if key not in memo:
        if len(memo) > 20:
            memo.clear()
        memo[key] = importer.prepare(store, config, upload)
    return memo[key]


def cached(store: Store, fn: Callable[..., Any], *args: Any) -> Any:
    """Call ``fn(store, *args)`` through a cache keyed on the store's data version."""
    return _cached_call(str(store.path), store.data_version(), fn.__module__, fn.__qualname__, args)


@st.cache_data(show_spinner=False, max_entries=512)
def _cached_call(path: str, version: int, module: str, name: str, args: tuple) -> Any:
    fn = getattr(importlib.import_module(module), name)
    return fn(Store.open(path), *args)
