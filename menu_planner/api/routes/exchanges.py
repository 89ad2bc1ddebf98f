"""Exchange rules, exclusions and special targets (the nutritionist edits them); exchange
lists of a cycle and of a center's week; substitutions in a week's purchase list."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response

from menu_planner.api.deps import ActorDep, ServicesDep
from menu_planner.api.headers import html_document
from menu_planner.api.params import IdPath, RevisionQuery, Text
from menu_planner.api.routes.centers import FILE_RESPONSES, download
from menu_planner.api.schemas.centers import CenterPublic, SpecialCountsUpdate
from menu_planner.api.schemas.common import error_responses, file_responses
from menu_planner.api.schemas.cycles import JobPublic
from menu_planner.api.schemas.exchanges import (
    ExchangeRuleIn,
    ExchangeRulePublic,
    ExclusionIn,
    ExclusionPublic,
    SpecialTargetIn,
    SpecialTargetPublic,
    SubstitutionIn,
    SubstitutionOut,
    VariantIn,
    VariantPublic,
)
from menu_planner.exchanges.formats import substitution_to_dict
from menu_planner.exchanges.rules import ExchangeRule, Exclusion
from menu_planner.services import Rendered
from menu_planner.services.exchanges import substitution_breaches
from menu_planner.variants.special import SpecialRule

router = APIRouter(tags=["intercambios y menús especiales"],
                   responses=error_responses(400, 401, 422))
WRITE = error_responses(403, 404, 409)
ListFormat = Annotated[Literal["json", "xlsx", "html"],
                       Query(description="json, xlsx o html (vista para imprimir)")]
LIST_RESPONSES: dict[int | str, dict[str, Any]] = {
    **file_responses("La lista en el formato pedido (html: vista para imprimir).",
                     "json", "xlsx", "html"),
    **error_responses(403, 404, 409)}


def _document(doc: Rendered) -> Response:
    """HTML opens in the browser (a print view); other formats download."""
    if doc.media_type.startswith("text/html"):
        return html_document(doc.content, doc.media_type)
    return download(doc)


# -- exchange rules --------------------------------------------------------------------
@router.get("/exchange-rules", response_model=list[ExchangeRulePublic])
def list_rules(_actor: ActorDep, services: ServicesDep,
               food_group: Text = None) -> list[ExchangeRulePublic]:
    """Reglas de intercambio: qué nutriente conserva cada grupo de alimentos (o alimento)
    y qué alimentos se reemplazan entre sí."""
    return [ExchangeRulePublic.model_validate(r)
            for r in services.exchanges.exchange_rules(food_group)]


def _rule(body: ExchangeRuleIn) -> ExchangeRule:
    return ExchangeRule(body.food_group, body.food_id.strip(), body.exchange_group.strip(),
                        tuple(n.strip() for n in body.nutrients if n.strip()),
                        body.min_ratio, body.max_ratio, body.source, body.note)


@router.post("/exchange-rules", response_model=ExchangeRulePublic, status_code=201,
             responses=WRITE)
def create_rule(body: ExchangeRuleIn, actor: ActorDep,
                services: ServicesDep) -> ExchangeRulePublic:
    """Agrega una regla (nutricionista o administración)."""
    return ExchangeRulePublic.model_validate(
        services.exchanges.save_exchange_rule(actor, _rule(body)))


@router.put("/exchange-rules/{rule_id:int}", response_model=ExchangeRulePublic,
            responses=WRITE)
def update_rule(rule_id: IdPath, body: ExchangeRuleIn, actor: ActorDep,
                services: ServicesDep) -> ExchangeRulePublic:
    """Reemplaza una regla."""
    return ExchangeRulePublic.model_validate(
        services.exchanges.save_exchange_rule(actor, _rule(body), rule_id, body.revision))


@router.delete("/exchange-rules/{rule_id:int}", status_code=204, responses=WRITE)
def delete_rule(rule_id: IdPath, actor: ActorDep, services: ServicesDep,
                revision: RevisionQuery = None) -> Response:
    """Borra una regla (el alimento sigue entonces la regla de su grupo)."""
    services.exchanges.delete_exchange_rule(actor, rule_id, revision)
    return Response(status_code=204)


# -- exclusions ------------------------------------------------------------------------
@router.get("/exchange-exclusions", response_model=list[ExclusionPublic])
def list_exclusions(_actor: ActorDep, services: ServicesDep) -> list[ExclusionPublic]:
    """Reemplazos que nunca se ofrecen (p. ej. miel en programas con menores de 1 año)."""
    return [ExclusionPublic.model_validate(e) for e in services.exchanges.exclusions()]


@router.post("/exchange-exclusions", response_model=ExclusionPublic, status_code=201,
             responses=WRITE)
def create_exclusion(body: ExclusionIn, actor: ActorDep,
                     services: ServicesDep) -> ExclusionPublic:
    """Agrega una exclusión (nutricionista o administración)."""
    ex = Exclusion(body.original.strip(), body.replacement.strip(), body.program.strip(),
                   body.symmetric, body.reason)
    return ExclusionPublic.model_validate(services.exchanges.add_exclusion(actor, ex))


@router.delete("/exchange-exclusions/{exclusion_id:int}", status_code=204, responses=WRITE)
def delete_exclusion(exclusion_id: IdPath, actor: ActorDep, services: ServicesDep,
                     revision: RevisionQuery = None) -> Response:
    """Borra una exclusión."""
    services.exchanges.delete_exclusion(actor, exclusion_id, revision)
    return Response(status_code=204)


# -- special targets -------------------------------------------------------------------
@router.get("/special-targets", response_model=list[SpecialTargetPublic])
def list_special(_actor: ActorDep, services: ServicesDep, program: Text = None,
                 subgroup: Text = None) -> list[SpecialTargetPublic]:
    """Metas especiales por subgrupo (bajo peso, hipertensión, diabetes...)."""
    return [SpecialTargetPublic.model_validate(t)
            for t in services.exchanges.special_targets(program, subgroup)]


def _special(body: SpecialTargetIn) -> SpecialRule:
    return SpecialRule(body.program.strip(), body.subgroup.strip(), body.age_group.strip(),
                       body.nutrient.strip(), body.min, body.max, body.basis,
                       body.min_factor, body.max_factor, body.source, body.note)


@router.post("/special-targets", response_model=SpecialTargetPublic, status_code=201,
             responses=WRITE)
def create_special(body: SpecialTargetIn, actor: ActorDep,
                   services: ServicesDep) -> SpecialTargetPublic:
    """Agrega una meta especial (nutricionista o administración)."""
    return SpecialTargetPublic.model_validate(
        services.exchanges.save_special_target(actor, _special(body)))


@router.put("/special-targets/{target_id:int}", response_model=SpecialTargetPublic,
            responses=WRITE)
def update_special(target_id: IdPath, body: SpecialTargetIn, actor: ActorDep,
                   services: ServicesDep) -> SpecialTargetPublic:
    """Reemplaza una meta especial."""
    return SpecialTargetPublic.model_validate(
        services.exchanges.save_special_target(actor, _special(body), target_id, body.revision))


@router.delete("/special-targets/{target_id:int}", status_code=204, responses=WRITE)
def delete_special(target_id: IdPath, actor: ActorDep, services: ServicesDep,
                   revision: RevisionQuery = None) -> Response:
    """Borra una meta especial."""
    services.exchanges.delete_special_target(actor, target_id, revision)
    return Response(status_code=204)


# -- exchange lists ----------------------------------------------------------------------
@router.get("/cycles/{cycle_id:int}/exchanges", response_class=Response,
            responses=LIST_RESPONSES)
def cycle_exchanges(cycle_id: IdPath, actor: ActorDep, services: ServicesDep,
                    format: ListFormat = "json",
                    department: Annotated[str | None, Query(max_length=40)] = None,
                    ) -> Response:
    """La lista de intercambio de un ciclo a los precios de un departamento (por defecto,
    la región de precios del ciclo)."""
    xl, row = services.exchanges.cycle_exchange_list(actor, cycle_id, department)
    stem = f"intercambios_ciclo{row.id}_{xl.region}".replace(" ", "_")
    return _document(services.exchanges.render_exchange_list(xl, format, stem))


@router.get("/centers/{center_id}/exchanges", response_class=Response,
            responses=LIST_RESPONSES)
def week_exchanges(center_id: str, actor: ActorDep, services: ServicesDep,
                   week: Annotated[int, Query(ge=1, le=52, description="Semana del ciclo")],
                   format: ListFormat = "json") -> Response:
    """Los intercambios de los alimentos de la semana del ciclo aprobado del centro, a los
    precios de su departamento, con los avisos revisados en los días de esa semana."""
    xl, row = services.exchanges.week_exchange_list(actor, center_id, week)
    return _document(services.exchanges.render_exchange_list(
        xl, format, f"intercambios_{center_id}_semana{week}_ciclo{row.id}"))


@router.post("/centers/{center_id}/substitutions", response_model=SubstitutionOut,
             responses=error_responses(403, 404, 409))
def preview_substitution(center_id: str, body: SubstitutionIn, actor: ActorDep,
                         services: ServicesDep) -> SubstitutionOut:
    """Qué pasa si faltan estos alimentos esta semana: el mejor intercambio de cada uno,
    el total antes y después, y toda meta o presupuesto que el cambio incumple. No guarda
    nada."""
    result, row = services.exchanges.substitution(actor, center_id, body.week, body.unavailable)
    return SubstitutionOut(
        cycle_id=row.id or 0, week=body.week,
        substitutions=[substitution_to_dict(s) for s in result.substitutions],
        breaches=substitution_breaches(result), breaks_something=result.breaks_something,
        total_before_q=round(float(result.before.total_q.sum()), 2),
        total_after_q=round(float(result.after.total_q.sum()), 2),
        budget_q=round(float(result.after.budget_q.sum()), 2))


@router.get("/centers/{center_id}/purchases/substituted", response_class=Response,
            responses={**FILE_RESPONSES, **error_responses(403, 404, 409)})
def substituted_purchases(
    center_id: str, actor: ActorDep, services: ServicesDep,
    week: Annotated[int, Query(ge=1, le=52, description="Semana del ciclo")],
    unavailable: Annotated[list[str], Query(min_length=1, max_length=50,
                                            description="food_id que faltan")],
    accept: Annotated[bool, Query(description="acepto los avisos")] = False,
    format: Annotated[Literal["json", "csv", "xlsx"], Query()] = "json",
    week_start: Annotated[date | None, Query(description=(
        "Lunes de la semana del calendario (AAAA-MM-DD): solo sus días de servicio"))]
    = None,
) -> Response:
    """La lista de compras de la semana con los alimentos que faltan reemplazados. Si el
    cambio incumple una meta o el presupuesto, responde 409 con cada aviso, salvo con
    `accept=true` (queda en la auditoría). Con `week_start`, la de esa semana del
    calendario (sin feriados), como `/centers/{id}/purchases?week_start=`."""
    wk = services.exchanges.accept_substitution(actor, center_id, week, unavailable, accept,
                                                week_start)
    stem = f"compras_{center_id}_semana{week}_con_cambios"
    return download(services.procurement.render_purchases(wk, format, stem))


# -- special menus (variants) and the people who eat them --------------------------------
@router.post("/cycles/{cycle_id:int}/variants", response_model=JobPublic, status_code=202,
             responses=error_responses(403, 404))
def derive_variant(cycle_id: IdPath, body: VariantIn, actor: ActorDep,
                   services: ServicesDep) -> JobPublic:
    """Deriva el menú especial de un subgrupo (metas especiales guardadas) a partir de un
    ciclo: mismos platos donde se puede, porciones ajustadas, cambios solo donde hace
    falta. Responde enseguida con el trabajo; consulte `GET /jobs/{id}` hasta `variant_id`."""
    return JobPublic.model_validate(services.variants.start(actor, cycle_id, body.subgroup))


@router.get("/cycles/{cycle_id:int}/variants", response_model=list[VariantPublic],
            responses=error_responses(404))
def list_variants(cycle_id: IdPath, _actor: ActorDep,
                  services: ServicesDep) -> list[VariantPublic]:
    """Los menús especiales derivados de un ciclo (el más reciente primero)."""
    return [VariantPublic.model_validate(v) for v in services.variants.of_cycle(cycle_id)]


@router.get("/variants/{variant_id:int}", response_class=Response,
            responses={**FILE_RESPONSES, **error_responses(404)})
def get_variant(variant_id: IdPath, _actor: ActorDep, services: ServicesDep,
                format: Annotated[Literal["json", "xlsx"], Query()] = "json") -> Response:
    """El menú especial: el archivo de ciclo con su sección `variant` (JSON) o el libro
    para imprimir (xlsx)."""
    return download(services.variants.render(variant_id, format))


@router.put("/centers/{center_id}/special-counts", response_model=CenterPublic,
            responses=error_responses(403, 404, 409))
def special_counts(center_id: str, body: SpecialCountsUpdate, actor: ActorDep,
                   services: ServicesDep) -> CenterPublic:
    """Cuántas personas de cada subgrupo tiene el centro (por grupo de edad): comen el
    menú especial y la lista de compras compra lo que necesitan."""
    return CenterPublic.model_validate(
        services.variants.update_special_counts(actor, center_id, body.counts, body.revision))
