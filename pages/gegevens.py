"""Gegevens: bring your own data (validate, review, confirm, undo), templates, backup and restore."""

import streamlit as st

from kansrijke import web
from kansrijke.core.i18n import t
from kansrijke.dataio import backup, importer
from kansrijke.dataio.ingest.common import Upload

config, store, sel = web.page_context()

st.title(t("data_page.title"))
st.markdown(t("data_page.intro"))

# -- 1. upload and review ------------------------------------------------------------------------------
st.header(t("data_page.upload_heading"), anchor="importeren")
files = st.file_uploader(
    t("data_page.upload_label"),
    type=["csv", "txt", "xlsx", "yaml", "yml"],
    accept_multiple_files=True,
    key=f"upload_{st.session_state.get('upload_round', 0)}",
    help=t("data_page.upload_help", mb=f"{config.imports.max_file_mb:g}"),
)
uploads = [Upload(f.name, f.getvalue()) for f in files or []]
prepared = [web.prepared_upload(store, config, upload) for upload in uploads]
for item in prepared:
    counts, parsed = item.counts, item.parsed
    kind = t(f"importer.kind.{parsed.kind}")
    with st.container(border=True):
        if parsed.ok:
            st.success(
                t(
                    "data_page.valid",
                    file=web.escape(item.upload.name),
                    kind=kind,
                    added=counts["added"],
                    changed=counts["changed"],
                    removed=counts["removed"],
                ),
                icon=":material/check_circle:",
            )
        else:
            st.error(
                t("data_page.invalid", file=web.escape(item.upload.name), kind=kind, errors=len(parsed.errors)),
                icon=":material/error:",
            )
            web.table(importer.problems_table(parsed.errors))
        for reason, count in parsed.skipped.items():
            st.caption(t("importer.skipped", count=count, reason=reason))
        if parsed.warnings:
            with st.expander(t("data_page.warnings", count=len(parsed.warnings))):
                web.table(importer.problems_table(parsed.warnings))

if prepared:
    all_valid = all(p.parsed.ok for p in prepared)
    changes = any(p.has_changes for p in prepared)
    if not all_valid:
        st.warning(t("data_page.fix_first"), icon=":material/block:")
    elif not changes:
        st.info(t("data_page.no_changes"), icon=":material/info:")
    elif st.button(t("data_page.confirm"), type="primary", icon=":material/upload:"):
        done = []
        for i, item in enumerate(prepared):
            current = item if i == 0 else importer.prepare(store, config, item.upload)
            if importer.apply(store, current, web.current_user()) is not None:
                done.append(item.upload.name)
        st.session_state["upload_round"] = st.session_state.get("upload_round", 0) + 1
        st.session_state["data_message"] = t("data_page.imported", files=web.escape(", ".join(done)))
        st.rerun()

message = st.session_state.pop("data_message", None)
if message:
    st.success(message, icon=":material/check_circle:")

# -- 2. history and undo -----------------------------------------------------------------------------------
st.header(t("data_page.history_heading"), anchor="geschiedenis")
log = importer.history_table(store)
if log.empty:
    st.caption(t("data_page.history_empty"))
else:
    web.table(log)
    last = importer.last_import(store)
    if last is not None:
        sure = st.checkbox(t("data_page.undo_sure", id=int(last["id"]), file=web.escape(last["file_name"])))
        if st.button(t("data_page.undo"), icon=":material/undo:", disabled=not sure):
            undone = importer.undo_last(store)
            st.session_state["data_message"] = t("cli.undo_done", id=undone["id"], file=web.escape(undone["file_name"]))
            st.rerun()

# -- 3. templates -------------------------------------------------------------------------------------------
st.header(t("data_page.templates_heading"), anchor="sjablonen")
st.markdown(t("data_page.templates_intro"))
columns = st.columns(3)
for column, (kind, formats) in zip(columns, importer.TEMPLATE_FORMATS.items(), strict=True):
    with column:
        st.markdown(f"**{t(f'importer.kind.{kind}')}**")
        for file_format in formats:
            st.download_button(
                f".{file_format}",
                data=importer.template(kind, file_format, config),
                file_name=f"sjabloon-{kind}.{file_format}",
                key=f"template_{kind}_{file_format}",
                icon=":material/download:",
                on_click="ignore",
            )

# -- 4. backup and restore -----------------------------------------------------------------------------------
st.header(t("data_page.backup_heading"), anchor="reservekopie")
st.markdown(t("data_page.backup_intro"))
st.download_button(
    t("data_page.backup_download"),
    data=lambda: backup.backup_zip(store),
    file_name="kansrijke-start-reservekopie.zip",
    mime="application/zip",
    icon=":material/archive:",
    on_click="ignore",
    key="backup",
)
restore = st.file_uploader(t("data_page.restore_label"), type=["zip"], key="restore_file")
if restore is not None:
    sure = st.checkbox(t("data_page.restore_sure"), key="restore_sure")
    if st.button(t("data_page.restore"), icon=":material/restore:", disabled=not sure):
        try:
            counts = backup.restore_zip(config.database_path, restore.getvalue())
        except backup.BackupError as exc:
            web.show_error(exc)
        else:
            st.session_state["data_message"] = t(
                "cli.restore_done", file=web.escape(restore.name), rows=sum(counts.values())
            )
            st.rerun()
