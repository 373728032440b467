"""The chat page for lawyers: `streamlit run streamlit_app.py`.

Page only: questions go to `assistant.service.Assistant`; every piece of corpus text is shown
through escaped HTML (`assistant.page_render`) or as plain text, never as Markdown or raw HTML.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
from collections.abc import Callable

import streamlit as st

from assistant.amounts import HEADS, OUTCOMES, AmountFilters, AmountRow
from assistant.export import amounts_to_csv, amounts_to_xlsx, to_docx, to_markdown
from assistant.issue_tags import load_taxonomy
from assistant.page_render import (
    CARD_CSS,
    HEAD_LABELS,
    OUTCOME_LABELS,
    SUMMARY_LABEL,
    amount_cells,
    amounts_html,
    card_html,
    copy_text,
    evidence_card_html,
    judgment_viewer_html,
    lead_html,
    source_html,
    synthesis_html,
)
from assistant.records import Answer, Passage
from assistant.service import Assistant
from assistant.settings import Settings
from store.errors import (
    EmptyStoreError,
    LegalAssistantError,
    ModelMismatchError,
    StoreBusyError,
    StoreError,
)
from store.records import SECTION_KINDS, SearchFilters

log = logging.getLogger("legal_assistant.page")

SECTION_LABELS = {
    "header": "En-tête",
    "facts": "Faits",
    "procedure": "Procédure",
    "claims": "Prétentions et moyens",
    "reasons": "Motifs",
    "operative": "Dispositif",
    "opinion": "Conclusions du ministère public",
    "other": "Autre",
}
VIEWS = ("Recherche", "Montants", "Questions juridiques")
ISSUE_LABELS = {issue.id: issue.label for issue in load_taxonomy().issues}
SIDEBAR_PX = 400  # wide enough for "Cour de cassation du Grand-Duché de Luxembourg — 12"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@st.cache_resource(show_spinner="Chargement du modèle et du corpus…")
def load_assistant(store: str, embeddings: str, chroma: str, llm: str) -> Assistant:
    """One Assistant per configuration, loaded once for all sessions (the arguments are the
    cache key, so a changed configuration loads a new one)."""
    return Assistant.from_settings(Settings.from_env())


def _settings_key() -> tuple[str, str, str, str]:
    s = Settings.from_env()
    chroma = f"{s.store.chroma_host}:{s.store.chroma_port}" if s.store.chroma_host else ""
    return (str(s.store.path), s.models.embeddings, chroma, s.llm.spec)


def _plain(text: str, css: str = "") -> None:
    """Show text as characters (escaped HTML), never as Markdown."""
    st.html(f'<div class="{css}" style="white-space:pre-wrap">{html.escape(text)}</div>')


def explain_error(exc: BaseException) -> str:
    """A sentence a lawyer can act on, in Markdown (our own text; library messages in code)."""
    detail = str(exc).replace("`", "'")
    if isinstance(exc, EmptyStoreError):
        path = Settings.from_env().store.path
        return (
            "Le corpus est vide : aucune décision n'a encore été chargée. Demandez à la personne "
            "qui administre l'outil de lancer "
            f"`legal-assistant ingest --store {path} DOSSIER_DES_DÉCISIONS` "
            "(ou `make sample` pour le corpus d'exemple), puis rechargez la page."
        )
    if isinstance(exc, ModelMismatchError):
        return (
            "Le corpus a été indexé avec un autre modèle que celui configuré. Demandez à la "
            "personne qui administre l'outil de ré-indexer le corpus ou de rétablir le modèle "
            f"d'origine. Détail : `{detail}`"
        )
    if isinstance(exc, StoreBusyError):
        return (
            "Le corpus est en cours de mise à jour. Réessayez dans quelques instants. "
            f"Détail : `{detail}`"
        )
    if isinstance(exc, StoreError):
        return (
            "Le corpus n'a pas pu être ouvert. Vérifiez auprès de la personne qui administre "
            "l'outil que le dossier du corpus (LEGAL_ASSISTANT_STORE) ou le serveur Chroma "
            f"(CHROMA_HOST) est accessible. Détail : `{detail}`"
        )
    if isinstance(exc, LegalAssistantError):
        return f"La recherche n'a pas pu aboutir. Détail : `{detail}`"
    return (
        "Une erreur inattendue a interrompu la recherche. Reformulez la question ou réessayez ; "
        "si elle persiste, signalez-la à la personne qui administre l'outil "
        f"(`{type(exc).__name__}`)."
    )


def exports(answers: list[Answer]) -> tuple[str, bytes]:
    """Markdown and DOCX of the conversation, rebuilt only when an answer was added."""
    key = (len(answers), id(answers[-1]) if answers else 0)
    cached = st.session_state.get("_exports")
    if cached is None or cached[0] != key:
        cached = (key, to_markdown(answers), to_docx(answers))
        st.session_state["_exports"] = cached
    return cached[1], cached[2]


def _init_state() -> None:
    st.session_state.setdefault("answers", [])


def new_conversation() -> None:
    st.session_state["answers"] = []


@st.dialog("Voir dans la décision", width="large", position="right")
def show_in_judgment(assistant: Assistant, passage: Passage) -> None:
    """The whole judgment, escaped, scrolled to the passage, which is highlighted."""
    try:
        judgment = assistant.judgment(passage.judgment.id)
    except Exception as exc:  # shown as a sentence, logged for the maintainer
        log.exception("judgment viewer failed")
        st.error(explain_error(exc))
        return
    _plain(copy_text(passage), "la-meta")
    source = source_html(judgment.meta)
    if source:
        st.html(source)  # court, country, ECLI, link to the publication
    if judgment.meta.summary.strip():  # labelled as not the court's words, folded away
        with st.expander(SUMMARY_LABEL):
            _plain(judgment.meta.summary.strip(), "la-summary-text")
    st.iframe(
        judgment_viewer_html(judgment, passage.char_start, passage.char_end),
        height=760,
    )


def amount_label(row: AmountRow) -> str:
    return (f"{row.amount_text} · {OUTCOME_LABELS.get(row.outcome, row.outcome)} · "
            f"{HEAD_LABELS.get(row.head, row.head)} · {row.citation}")  # fmt: skip


def amounts_view(assistant: Assistant) -> None:
    """The damages table: every sum claimed, granted or rejected, filterable, sortable (click
    a column), each row opening the judgment at its span, exported with its citations."""
    st.header("Montants demandés, accordés et rejetés")
    everything = assistant.amounts()
    if not everything:
        st.info("Aucune somme demandée, accordée ou rejetée n'a été trouvée dans les décisions "
                "du corpus.")  # fmt: skip
        return
    c1, c2, c3 = st.columns(3)
    courts = c1.multiselect("Juridiction", sorted({r.court for r in everything if r.court}),
                            key="a_courts", placeholder="Toutes")  # fmt: skip
    heads = c2.multiselect("Chef de préjudice", [h for h in HEADS if any(r.head == h
                           for r in everything)], format_func=lambda h: HEAD_LABELS.get(h, h),
                           key="a_heads", placeholder="Tous")  # fmt: skip
    outcomes = c3.multiselect("Issue", list(OUTCOMES), format_func=OUTCOME_LABELS.__getitem__,
                              key="a_outcomes", placeholder="Toutes")  # fmt: skip
    c4, c5, c6 = st.columns(3)
    dates = sorted(r.date for r in everything if r.date)
    date_from = date_to = ""
    if dates:
        lo, hi = dt.date.fromisoformat(dates[0]), dt.date.fromisoformat(dates[-1])
        picked = c4.date_input("Période", value=(lo, hi), min_value=dt.date(1900, 1, 1),
                               max_value=dt.date(2100, 12, 31), format="DD/MM/YYYY",
                               key="a_dates")  # fmt: skip
        if isinstance(picked, tuple) and len(picked) == 2 and (picked[0], picked[1]) != (lo, hi):
            date_from, date_to = picked[0].isoformat(), picked[1].isoformat()
    low = c5.number_input("Montant minimal", min_value=0.0, value=None, step=100.0,
                          key="a_min", placeholder="aucun")  # fmt: skip
    high = c6.number_input("Montant maximal", min_value=0.0, value=None, step=100.0,
                           key="a_max", placeholder="aucun")  # fmt: skip
    rows = assistant.amounts(AmountFilters(
        courts=tuple(courts), heads=tuple(heads), outcomes=tuple(outcomes),
        date_from=date_from, date_to=date_to, min_value=low, max_value=high,
    ))  # fmt: skip
    st.session_state["a_rows"] = rows  # the rows shown, which the picker below indexes
    decisions = len({r.judgment_id for r in rows})
    st.caption(f"{len(rows)} montant(s) dans {decisions} décision(s). Chaque extrait est cité "
               "mot pour mot ; cliquez un en-tête de colonne pour trier. Le relevé est "
               "automatique et incomplet (sur des décisions indépendantes, il retrouve environ "
               "une somme sur quatre et plus de la moitié de ses lignes sont mal qualifiées) : "
               "vérifiez chaque ligne dans la décision.")  # fmt: skip
    if not rows:
        return
    st.dataframe(
        [amount_cells(r) for r in rows],
        hide_index=True,
        key="a_table",
        column_config={"Montant": st.column_config.NumberColumn(format="%.2f")},
    )
    pick = st.selectbox("Montant à voir dans la décision", range(len(rows)),
                        format_func=lambda i: amount_label(rows[i]), key="a_pick")  # fmt: skip
    if st.button("Voir dans la décision", key="a_view", icon=":material/article:"):
        row = rows[pick]
        show_span_in_judgment(assistant, row.judgment_id, row.char_start, row.char_end,
                              row.citation)  # fmt: skip
    d1, d2 = st.columns(2)
    d1.download_button("CSV", amounts_to_csv(rows), file_name="montants.csv", mime="text/csv",
                       icon=":material/download:", on_click="ignore", key="a_csv")  # fmt: skip
    d2.download_button("Excel (XLSX)", amounts_to_xlsx(rows), file_name="montants.xlsx",
                       mime=XLSX_MIME, icon=":material/download:", on_click="ignore",
                       key="a_xlsx")  # fmt: skip


@st.dialog("Voir dans la décision", width="large", position="right")
def show_span_in_judgment(assistant: Assistant, judgment_id: str, start: int, end: int,
                          citation: str) -> None:  # fmt: skip
    """The whole judgment, scrolled to [start:end] of its text, which is highlighted."""
    try:
        judgment = assistant.judgment(judgment_id)
    except Exception as exc:
        log.exception("judgment viewer failed")
        st.error(explain_error(exc))
        return
    _plain(citation, "la-meta")
    st.iframe(judgment_viewer_html(judgment, start, end), height=760)


def issues_view(assistant: Assistant) -> None:
    """Issue -> decisions -> passages: the decisions that discuss an IT-liability issue, each
    with the passages tagged and their evidence, verbatim."""
    st.header("Questions juridiques")
    st.caption("Étiquetage automatique, encore peu fiable (précision mesurée sur des décisions "
               "indépendantes : 0,2 à 0,3) : lisez chaque passage avant de vous y fier. Les "
               "passages cités sont, eux, toujours le texte exact de la décision.")  # fmt: skip
    entries = assistant.issues()
    labels = {e.issue.id: f"{e.issue.label} ({len(e.decisions)})" for e in entries}
    chosen = st.selectbox("Question", list(labels), format_func=labels.__getitem__,
                          key="i_issue")  # fmt: skip
    entry = next(e for e in entries if e.issue.id == chosen)
    _plain(entry.issue.definition, "la-meta")
    if not entry.decisions:
        st.info("Aucune décision du corpus ne traite cette question.")
        return
    for d, decision in enumerate(entry.decisions):
        st.subheader(decision.citation)
        for n, passage in enumerate(decision.passages):
            st.html(evidence_card_html(passage.evidence, passage.citation))
            if st.button("Voir dans la décision", key=f"i-view-{d}-{n}",
                         icon=":material/article:"):  # fmt: skip
                show_span_in_judgment(assistant, decision.judgment.id, passage.char_start,
                                      passage.char_end, passage.citation)  # fmt: skip


def render_passage(assistant: Assistant, passage: Passage, key: str) -> None:
    st.html(card_html(passage))
    # with its copy button: the citation, then the ECLI when known
    st.code(copy_text(passage), language=None, wrap_lines=True)
    if st.button("Voir dans la décision", key=key, icon=":material/article:"):
        show_in_judgment(assistant, passage)


def render_answer(assistant: Assistant, answer: Answer, index: int) -> None:
    if answer.standalone_question and answer.standalone_question != answer.question:
        _plain(f"Question comprise : {answer.standalone_question}", "la-meta")
    st.html(lead_html(answer))
    if answer.notice:
        _plain(answer.notice, "la-meta")
    if answer.synthesis is not None:
        st.html(synthesis_html(answer.synthesis))  # each unverified sentence with its reasons
    if answer.amounts:
        st.caption("Sommes relevées dans ces décisions (tableau des montants) :")
        st.html(amounts_html(answer.amounts))
    if not answer.passages:
        return
    if answer.no_answer:
        with st.expander("Passages les plus proches (ils ne répondent pas à la question)"):
            for p in answer.passages:
                render_passage(assistant, p, key=f"view-{index}-{p.rank}")
        return
    for p in answer.passages:
        render_passage(assistant, p, key=f"view-{index}-{p.rank}")


def sidebar(assistant: Assistant) -> tuple[SearchFilters, int]:
    """Filters, corpus figures, store in use, conversation actions. Returns filters and k."""
    facets = assistant.facets()
    stats = assistant.stats()
    with st.sidebar:
        st.button(
            "Nouvelle conversation",
            on_click=new_conversation,
            key="new_conversation",
            icon=":material/add_comment:",
            type="primary",
            width="stretch",
        )
        st.subheader("Filtres")
        countries = st.multiselect(
            "Pays",
            [code for code, _ in facets.countries],
            format_func=facets.country_label,
            key="f_countries",
            placeholder="Tous",
        )
        offered = facets.courts_in(countries)
        labels = {c.key: c.label for c in offered}
        # a court of a country no longer picked leaves the selection (the others stay)
        kept = [pair for pair in st.session_state.get("f_courts", []) if pair in labels]
        if kept != st.session_state.get("f_courts", kept):
            st.session_state["f_courts"] = kept
        courts = st.multiselect(
            f"Juridiction ({len(offered)})",
            list(labels),
            format_func=lambda pair: labels.get(pair, str(pair)),
            key="f_courts",
            placeholder="Toutes (tapez pour chercher)",
            help="Nombre de décisions du corpus par juridiction.",
        )
        chambers = st.multiselect(
            "Chambre", facets.chambers, key="f_chambers", placeholder="Toutes"
        )
        issues = st.multiselect(
            "Question juridique",
            list(ISSUE_LABELS),
            format_func=ISSUE_LABELS.__getitem__,
            key="f_issues",
            placeholder="Toutes",
            help="Décisions dont un passage traite cette question (voir « Questions "
            "juridiques »).",
        )
        kinds = st.multiselect(
            "Partie de la décision",
            facets.section_kinds,
            format_func=lambda k: SECTION_LABELS.get(k, k),
            key="f_kinds",
            placeholder="Toutes",
        )
        date_from, date_to = "", ""
        if facets.date_min and facets.date_max:
            lo = dt.date.fromisoformat(facets.date_min)
            hi = dt.date.fromisoformat(facets.date_max)
            picked = st.date_input(
                "Période",
                value=(lo, hi),
                min_value=dt.date(1900, 1, 1),
                max_value=dt.date(2100, 12, 31),
                format="DD/MM/YYYY",
                key="f_dates",
            )
            if (
                isinstance(picked, tuple)
                and len(picked) == 2
                and (picked[0], picked[1]) != (lo, hi)
            ):
                date_from, date_to = picked[0].isoformat(), picked[1].isoformat()
        k = st.slider("Passages par réponse", 1, 10, assistant.settings.retrieval.k, key="f_k")

        st.subheader("Le corpus en chiffres")
        c1, c2 = st.columns(2)
        c1.metric("Décisions", stats.judgments)
        c2.metric("Juridictions", len(stats.courts))
        span = (
            f"du {_fr_date(stats.date_min)} au {_fr_date(stats.date_max)}"
            if stats.date_min
            else "dates inconnues"
        )
        _plain(f"{stats.chunks} passages indexés, {span}\nModèle : {stats.model}", "la-meta")
        if facets.countries:
            by_country = (facets.country_label(code) for code, _ in facets.countries)
            _plain("Pays : " + " ; ".join(by_country), "la-meta")
        st.subheader("Base utilisée")
        _plain(f"{stats.location} (génération {stats.generation})", "la-meta")

        answers: list[Answer] = st.session_state["answers"]
        if answers:
            markdown, docx = exports(answers)
            st.subheader("Exporter la conversation")
            st.download_button(
                "Markdown",
                markdown,
                file_name="recherche.md",
                mime="text/markdown",
                icon=":material/download:",
                on_click="ignore",
                key="export_md",
            )
            st.download_button(
                "Word (DOCX)",
                docx,
                file_name="recherche.docx",
                mime=DOCX_MIME,
                icon=":material/download:",
                on_click="ignore",
                key="export_docx",
            )
    court_names, judgment_ids = assistant.court_filters(courts) if courts else ((), ())
    if issues:
        on_issues = assistant.judgments_on(issues)
        if judgment_ids:
            on_issues = tuple(j for j in on_issues if j in judgment_ids)
        judgment_ids = on_issues or ("",)  # no decision: nothing passes
    filters = SearchFilters(
        courts=court_names,
        countries=tuple(countries),
        judgment_ids=judgment_ids,
        chambers=tuple(chambers),
        section_kinds=tuple(kind for kind in SECTION_KINDS if kind in kinds),
        date_from=date_from,
        date_to=date_to,
    )
    return filters, k


def _fr_date(iso: str) -> str:
    try:
        return dt.date.fromisoformat(iso).strftime("%d/%m/%Y")
    except ValueError:
        return iso


def ask(assistant: Assistant, question: str, filters: SearchFilters, k: int) -> Answer | None:
    """Ask, streaming an LLM synthesis if there is one; errors become a sentence."""
    placeholder = st.empty()
    streamed: list[str] = []

    def on_token(token: str) -> None:
        streamed.append(token)
        placeholder.text("".join(streamed))

    callback: Callable[[str], None] | None = on_token if assistant.settings.llm.spec else None
    try:
        with st.spinner("Recherche dans le corpus…"):
            answer = assistant.ask(
                question,
                filters=filters,
                k=k,
                history=st.session_state["answers"],
                on_token=callback,
            )
    except Exception as exc:
        log.exception("question failed")
        st.error(explain_error(exc))
        return None
    placeholder.empty()
    return answer


def main() -> None:
    st.set_page_config(
        page_title="Recherche jurisprudentielle",
        page_icon=":material/gavel:",
        layout="wide",
        initial_sidebar_state=SIDEBAR_PX,
    )
    _init_state()
    st.html(CARD_CSS)
    st.title("Recherche jurisprudentielle")
    try:
        assistant = load_assistant(*_settings_key())
    except Exception as exc:
        log.exception("assistant failed to load")
        st.error(explain_error(exc))
        st.stop()
    view = st.sidebar.radio("Affichage", VIEWS, key="view", horizontal=True)
    if view == "Montants":
        amounts_view(assistant)
        return
    if view == "Questions juridiques":
        issues_view(assistant)
        return
    filters, k = sidebar(assistant)
    answers: list[Answer] = st.session_state["answers"]
    if not answers:
        st.caption(
            "Posez une question de droit : la réponse cite des passages exacts des décisions "
            "du corpus, avec leur référence. Vous pouvez enchaîner par une question courte "
            "(« et pour le préjudice moral ? »)."
        )
    for index, past in enumerate(answers):
        with st.chat_message("user"):
            _plain(past.question)
        with st.chat_message("assistant"):
            render_answer(assistant, past, index)

    question = st.chat_input(
        "Votre question (ex. : le prestataire est-il responsable des pannes ?)"
    )
    if question and question.strip():
        with st.chat_message("user"):
            _plain(question)
        with st.chat_message("assistant"):
            answer = ask(assistant, question.strip(), filters, k)
            if answer is not None:
                answers.append(answer)
                render_answer(assistant, answer, len(answers) - 1)
        if answer is not None:
            st.rerun()  # so that the sidebar's export includes the new answer


main()
