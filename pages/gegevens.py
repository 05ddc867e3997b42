"""Gegevens: bring your own data (validate, review, confirm, undo), templates, backup and restore."""

import functools

import streamlit as st

from kansrijke import access, web
from kansrijke.core.errors import UserError
from kansrijke.core.i18n import t
from kansrijke.dataio import backup, importer, start
from kansrijke.dataio.ingest.common import Upload

config, store, sel = web.page_context()
person = web.current_person()  # sections the package would refuse this person are not shown
may_import = access.can(person, "figures") or any(
    access.can(person, what, c) for what in ("plan", "actions") for c in person.coalitions()
)

st.title(t("data_page.title"))
st.markdown(t("data_page.intro"))

# -- 1. upload and review ------------------------------------------------------------------------------
files = None
if may_import:
    st.header(t("data_page.upload_heading"), anchor="importeren")
    files = st.file_uploader(
        t("data_page.upload_label"),
        type=["csv", "txt", "xlsx", "yaml", "yml"],
        accept_multiple_files=True,
        key=f"upload_{st.session_state.get('upload_round', 0)}",
        help=t("data_page.upload_help", mb=f"{config.imports.max_file_mb:g}"),
    )
uploads = [Upload(f.name, f.getvalue()) for f in files or []]
if uploads:
    try:
        start.refuse_demo_import(store)  # the demo file takes no imports; the message says how to start for real
    except start.DemoImportRefused as refused:
        web.show_error(refused)
        uploads = []
prepared = []  # each file as it will be imported: a plan in the mode chosen below (bijwerken unless changed)
confirmed = True  # every plan that would lose parts has the coalition's name typed
for n, upload in enumerate(uploads):
    item = web.prepared_upload(store, config, upload)  # a plan: as vervangen would import it
    parsed = item.parsed
    gone = importer.removals(item)  # what vervangen removes and bijwerken keeps
    key = f"{n}_{upload.sha256[:16]}"
    item = importer.in_mode(item, st.session_state.get(f"plan_mode_{key}", importer.BIJWERKEN))
    counts, kind = item.counts, t(f"importer.kind.{parsed.kind}")
    with st.container(border=True):
        if parsed.ok and item.template:
            st.warning(importer.template_message(item, web.escape(item.upload.name)), icon=":material/block:")
        elif parsed.ok:
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
                t("data_page.invalid", file=web.escape(item.upload.name), kind=kind, count=len(parsed.errors)),
                icon=":material/error:",
            )
            web.table(importer.problems_table(parsed.errors))
        for reason, count in parsed.skipped.items():
            st.caption(t("importer.skipped", count=int(count), reason=reason))
        if parsed.warnings:
            with st.expander(t("data_page.warnings", count=len(parsed.warnings))):
                web.table(importer.problems_table(parsed.warnings))
        if not gone.empty:  # the file leaves out parts of the stored plan: keep them (default) or remove them
            coalition = web.escape(importer.coalition_label(item))
            st.radio(
                t("plansafe.mode_label", coalition=coalition),
                importer.MODES,
                format_func=lambda mode: t(f"plansafe.mode.{mode}"),
                key=f"plan_mode_{key}",
            )
            summary = importer.removal_summary(gone)
            if item.mode == importer.BIJWERKEN:
                st.info(t("plansafe.keeps", coalition=coalition, summary=summary), icon=":material/inventory_2:")
                with st.expander(t("plansafe.kept_list", count=len(gone))):
                    web.table(importer.removal_table(gone))
            else:
                st.warning(t("plansafe.removes", coalition=coalition, summary=summary), icon=":material/delete:")
                web.table(importer.removal_table(gone))
                name = web.escape(item.coalition["name"])
                typed = st.text_input(t("plansafe.confirm_label", name=name), key=f"plan_confirm_{key}")
                if not importer.confirms(item, typed):
                    confirmed = False
                    hint = t("plansafe.confirm_wrong", name=name) if typed.strip() else t("plansafe.confirm_needed")
                    st.caption(hint)
    prepared.append(item)

if prepared:
    all_valid = all(p.parsed.ok for p in prepared)
    changes = any(p.has_changes for p in prepared)
    if not all_valid:
        st.warning(t("data_page.fix_first"), icon=":material/block:")
    elif not changes:
        if not all(p.template for p in prepared):  # a template has said why nothing is imported
            st.info(t("data_page.no_changes"), icon=":material/info:")
    elif st.button(t("data_page.confirm"), type="primary", icon=":material/upload:", disabled=not confirmed):
        done, refused = [], []
        for i, item in enumerate(prepared):
            current = item if i == 0 else importer.prepare(store, config, item.upload, item.mode)  # after earlier files
            if importer.removes_more(current, item):  # earlier files changed what it would remove: not confirmed
                refused.append(item.upload.name)
            elif importer.apply(store, current, web.current_person()) is not None:
                done.append(item.upload.name)
        st.session_state["upload_round"] = st.session_state.get("upload_round", 0) + 1
        st.session_state["data_message"] = t("data_page.imported", files=web.escape(", ".join(done)))
        if refused:
            st.session_state["data_refused"] = t("plansafe.not_confirmed", files=web.escape(", ".join(refused)))
        st.rerun()

refused_message = st.session_state.pop("data_refused", None)
if refused_message:
    st.warning(refused_message, icon=":material/block:")
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
    if last is not None and may_import:
        sure = st.checkbox(t("data_page.undo_sure", id=int(last["id"]), file=web.escape(last["file_name"])))
        if st.button(t("data_page.undo"), icon=":material/undo:", disabled=not sure):
            undone = importer.undo_last(store, web.current_person())
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
                data=functools.partial(importer.template, kind, file_format, config),  # made when clicked
                file_name=f"sjabloon-{kind}.{file_format}",
                key=f"template_{kind}_{file_format}",
                icon=":material/download:",
                on_click="ignore",
            )

# -- 4. backup and restore -----------------------------------------------------------------------------------
restore = None
if access.can(person, "backup"):
    st.header(t("data_page.backup_heading"), anchor="reservekopie")
    st.markdown(t("data_page.backup_intro"))
    st.download_button(
        t("data_page.backup_download"),
        data=functools.partial(backup.backup_zip, store, web.current_person()),  # made when clicked
        file_name="kansrijke-start-reservekopie.zip",
        mime="application/zip",
        icon=":material/archive:",
        on_click="ignore",
        key="backup",
    )
if access.can(person, "restore"):
    restore = st.file_uploader(t("data_page.restore_label"), type=["zip"], key="restore_file")
if restore is not None:
    sure = st.checkbox(t("data_page.restore_sure"), key="restore_sure")
    if st.button(t("data_page.restore"), icon=":material/restore:", disabled=not sure):
        try:
            counts = backup.restore_zip(
                backup.restore_target(config, restore.getvalue()), restore.getvalue(), web.current_person()
            )
        except UserError as exc:  # every refusal (the backup, the file in use, the role) as the CLI says it
            web.show_error(exc)
        else:
            st.session_state["data_message"] = t(
                "cli.restore_done", file=web.escape(restore.name), rows=sum(counts.values())
            )
            st.rerun()

# -- 5. start a coalition by hand, without a workbook (kansrijke/web/welcome.py) --------------------------------
if access.can(person, "coalition_new"):
    web.new_coalition_form(store, config)
