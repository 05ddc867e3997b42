"""Caching for the pages, all its rules in one place.

- Reads are keyed on the store's data version (a change shows at once in every session); the store holds that
  number in memory, so asking for it costs nothing (``Store.data_version``).
- ``cached``: a data frame or a small result, pickled per session (``st.cache_data``): callers may change it.
- ``shared``: charts, one object for every session and rerun (``st.cache_resource``), never pickled, copied or
  re-validated; each Plotly figure in it is frozen: turned into its dict once, which Streamlit then sends on
  every run. Never change what ``shared`` returns.
- Downloads are built when asked (``st.download_button(data=callable)``), never on a rerun.
- An upload is validated once per file content.
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable
from typing import Any

import plotly.graph_objects as go
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


@st.cache_data(show_spinner=False, max_entries=2048)  # ~20 entries per municipality and page set: 342 fit
def _cached_call(path: str, version: int, module: str, name: str, args: tuple) -> Any:
    fn = getattr(importlib.import_module(module), name)
    return fn(Store.open(path), *args)


def shared(
    store: Store,
    fn: Callable[..., Any],
    *args: Any,
    then: Callable[..., Any] | None = None,
    then_args: tuple = (),
) -> Any:
    """``then(fn(store, *args), *then_args)`` once per data version and arguments, as one object shared by every
    session and rerun: never pickled, copied or re-validated. For charts, whose Plotly figures cost more to
    unpickle than to keep. Whatever it returns must never be changed by its callers."""
    step = (then.__module__, then.__qualname__) if then is not None else None
    return _shared_call(str(store.path), store.data_version(), fn.__module__, fn.__qualname__, args, step, then_args)


@st.cache_resource(show_spinner=False, max_entries=1024)
def _shared_call(
    path: str, version: int, module: str, name: str, args: tuple, step: tuple | None, then_args: tuple
) -> Any:
    found = getattr(importlib.import_module(module), name)(Store.open(path), *args)
    if step is not None:
        found = getattr(importlib.import_module(step[0]), step[1])(found, *then_args)
    return freeze(found)


def freeze(value: Any) -> Any:
    """Every Plotly figure in ``value`` (a figure, or a dataclass, dict, list or tuple holding figures) made
    cheap to send again: ``st.plotly_chart`` turns a figure into a dict on each call (``to_dict``: a deep copy
    and base64 of every array, most of a chart page's time); a frozen figure hands back the dict it made once.
    The figure must not be changed afterwards (``shared``'s rule)."""
    if isinstance(value, go.Figure):
        spec = value.to_dict()
        object.__setattr__(value, "to_dict", lambda: spec)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            freeze(getattr(value, field.name))
    elif isinstance(value, dict):
        for item in value.values():
            freeze(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            freeze(item)
    return value
