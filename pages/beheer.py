"""Gebruikers en rollen (the beheerder's page): who has which role, grant a role (for a coalition when it is a
coalition role) and take one back. The rules and the Dutch messages are the package's (``kansrijke.access``);
the menu shows this page only to who may manage users."""

import streamlit as st

from kansrijke import access, web
from kansrijke.core.errors import UserError
from kansrijke.core.i18n import t

config, store, sel = web.page_context()
person = web.current_person()

st.title(t("signin.users_title"))
if not access.can(person, "users"):  # the menu hides this page; the package refuses the same
    try:
        access.require(person, "users")
    except access.NotAllowed as exc:
        web.show_error(exc, icon=":material/lock:")
    st.stop()

st.markdown(t("signin.users_intro"))
if not web.sign_in_configured():
    st.info(t("signin.users_local"), icon=":material/info:")
message = st.session_state.pop("_users_message", None)
if message:
    st.success(message, icon=":material/check_circle:")

table = access.assignments(store, config)  # with the beheerders named in config.yaml
if table.empty:
    st.caption(t("signin.users_none"))
else:
    web.table(table)

# -- grant a role ----------------------------------------------------------------------------------------------------
st.header(t("signin.users_assign_heading"), anchor="toekennen")
choices = web.coalition_choices(store)
email = st.text_input(
    t("signin.users_email"), key="users_email", max_chars=254, placeholder=t("signin.users_email_placeholder")
)
role = st.selectbox(t("signin.users_role"), access.ROLES, format_func=lambda r: t(f"access.role.{r}"), key="users_role")
coalition = None
if role in access.COALITION_ROLES:
    coalition = st.selectbox(
        t("signin.users_coalition"),
        list(choices),
        index=None,
        format_func=choices.get,
        key="users_coalition",
        placeholder=t("signin.users_coalition_placeholder"),
    )
if st.button(t("signin.users_assign"), type="primary", icon=":material/person_add:", key="users_assign"):
    try:
        added = access.assign(store, person, email, role, coalition)
    except UserError as exc:
        web.show_error(exc)
    else:
        key = "signin.users_assigned" if added else "signin.users_already"
        st.session_state["_users_message"] = t(key, email=web.escape(email.strip().lower()))
        st.rerun()

# -- take a role back ------------------------------------------------------------------------------------------------
st.header(t("signin.users_revoke_heading"), anchor="intrekken")
granted = access.assignment_rows(store)  # what can be taken back: the grants in the database
if granted.empty:
    st.caption(t("signin.users_none"))
else:
    labels = {
        i: t("signin.users_grant_label", email=r.identity, role=t(f"access.role.{r.role}"))
        + (f" · {choices.get(r.coalition_id, r.coalition_id)}" if isinstance(r.coalition_id, str) else "")
        for i, r in zip(granted.index, granted.itertuples(), strict=True)
    }
    chosen = st.selectbox(t("signin.users_grant"), list(labels), format_func=labels.get, key="users_grant")
    if st.button(t("signin.users_revoke"), icon=":material/person_remove:", key="users_revoke"):
        row = granted.loc[chosen]
        coalition_id = row["coalition_id"] if isinstance(row["coalition_id"], str) else None
        try:
            access.revoke(store, person, row["identity"], row["role"], coalition_id, config)
        except UserError as exc:
            web.show_error(exc)
        else:
            st.session_state["_users_message"] = t("signin.users_revoked", email=web.escape(row["identity"]))
            st.rerun()
