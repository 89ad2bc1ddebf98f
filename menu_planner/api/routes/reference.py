"""Foods, prices and price surveys, programs, recipes and nutrient targets."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile

from menu_planner.api.deps import ActorDep, ServicesDep
from menu_planner.api.params import IdPath, Limit, Offset, Text
from menu_planner.api.schemas.common import Page, error_responses
from menu_planner.api.schemas.reference import (
    FoodPublic,
    IngredientPublic,
    PricePublic,
    ProgramPublic,
    RecipeDetail,
    RecipePublic,
    SurveyPublic,
    SurveyResult,
    TargetCreate,
    TargetPublic,
    TargetUpdate,
)
from menu_planner.api.uploads import as_csv_file, read_upload
from menu_planner.domain import Target

foods = APIRouter(prefix="/foods", tags=["alimentos y precios"],
                  responses=error_responses(400, 401, 422))
prices = APIRouter(prefix="/prices", tags=["alimentos y precios"],
                   responses=error_responses(400, 401, 422))
menus = APIRouter(tags=["menús"], responses=error_responses(400, 401, 422))



@foods.get("", response_model=Page[FoodPublic])
def list_foods(_actor: ActorDep, services: ServicesDep, group: Text = None,
               search: Text = None, offset: Offset = 0,
               limit: Limit = 100) -> Page[FoodPublic]:
    """Alimentos con nutrientes por 100 g de parte comestible."""
    rows, total = services.reference.foods(group, search, offset, limit)
    return Page(items=[FoodPublic.model_validate(r) for r in rows], total=total,
                offset=offset, limit=limit)


@foods.get("/{food_id}", response_model=FoodPublic, responses=error_responses(404))
def get_food(food_id: str, _actor: ActorDep, services: ServicesDep) -> FoodPublic:
    """Un alimento."""
    return FoodPublic.model_validate(services.reference.food(food_id))


@prices.get("", response_model=Page[PricePublic])
def list_prices(_actor: ActorDep, services: ServicesDep, food_id: Text = None,
                department: Text = None, offset: Offset = 0,
                limit: Limit = 100) -> Page[PricePublic]:
    """Precios por unidad de compra, por departamento o 'Nacional'."""
    rows, total = services.reference.prices(food_id, department, offset, limit)
    return Page(items=[PricePublic.model_validate(r) for r in rows], total=total,
                offset=offset, limit=limit)


@prices.get("/surveys", response_model=Page[SurveyPublic])
def list_surveys(_actor: ActorDep, services: ServicesDep, department: Text = None,
                 offset: Offset = 0, limit: Limit = 100) -> Page[SurveyPublic]:
    """Encuestas de precios cargadas, la más reciente primero."""
    rows, total = services.reference.surveys(department, offset, limit)
    return Page(items=[SurveyPublic.model_validate(r) for r in rows], total=total,
                offset=offset, limit=limit)


@prices.post("/surveys", response_model=SurveyResult, status_code=201,
             responses=error_responses(403, 413))
async def upload_survey(
    actor: ActorDep, services: ServicesDep,
    department: Annotated[str, Form(min_length=1, max_length=40,
                                    description="Departamento (o 'Nacional')")],
    file: Annotated[UploadFile, File(description="CSV UTF-8 o .xlsx con columnas food_id, "
                                                 "purchase_unit, unit_grams, price_q, "
                                                 "price_date[, department, source]")],
) -> SurveyResult:
    """Carga una encuesta de precios de un departamento. Se revisa cada línea; si alguna
    tiene un error no se guarda nada y se listan todos los errores (línea y columna)."""
    name, content = await read_upload(file, services.settings.max_upload_bytes)
    from starlette.concurrency import run_in_threadpool

    def store() -> SurveyResult:
        with as_csv_file(name, content) as path:
            survey, warnings = services.reference.upload_price_survey(actor, department, path, name)
        return SurveyResult(survey=SurveyPublic.model_validate(survey), warnings=warnings)

    return await run_in_threadpool(store)


@menus.get("/programs", response_model=list[ProgramPublic])
def list_programs(_actor: ActorDep, services: ServicesDep) -> list[ProgramPublic]:
    """Programas de alimentación y su presupuesto diario por persona."""
    return [ProgramPublic.model_validate(p) for p in services.reference.programs()]


@menus.get("/recipes", response_model=list[RecipePublic])
def list_recipes(_actor: ActorDep, services: ServicesDep,
                 program: Text = None) -> list[RecipePublic]:
    """Preparaciones (recetas), opcionalmente de un programa."""
    return [RecipePublic.model_validate(r) for r in services.reference.recipes(program)]


@menus.get("/recipes/{recipe_id}", response_model=RecipeDetail,
           responses=error_responses(404))
def get_recipe(recipe_id: str, _actor: ActorDep, services: ServicesDep) -> RecipeDetail:
    """Una receta, sus ingredientes y lo que aporta una porción de referencia."""
    row, ingredients, totals = services.reference.recipe(recipe_id)
    base = RecipePublic.model_validate(row).model_dump()
    return RecipeDetail(**base, ingredients=[IngredientPublic.model_validate(i)
                                             for i in ingredients],
                        per_portion={k: round(v, 4) for k, v in totals.values.items()})


@menus.get("/targets", response_model=list[TargetPublic])
def list_targets(_actor: ActorDep, services: ServicesDep, program: Text = None,
                 age_group: Text = None) -> list[TargetPublic]:
    """Metas nutricionales por programa y grupo de edad."""
    return [TargetPublic.model_validate(t) for t in services.reference.targets(program, age_group)]


@menus.post("/targets", response_model=TargetPublic, status_code=201,
            responses=error_responses(403, 409))
def create_target(body: TargetCreate, actor: ActorDep, services: ServicesDep) -> TargetPublic:
    """Agrega una meta (nutricionista o administración)."""
    target = Target(program=body.program, age_group=body.age_group, nutrient=body.nutrient,
                    basis=body.basis, min=body.min, max=body.max)
    return TargetPublic.model_validate(services.reference.save_target(actor, target))


@menus.put("/targets/{target_id:int}", response_model=TargetPublic,
           responses=error_responses(403, 404, 409))
def update_target(target_id: IdPath, body: TargetUpdate, actor: ActorDep,
                  services: ServicesDep) -> TargetPublic:
    """Cambia el mínimo y el máximo de una meta (nutricionista o administración)."""
    bounds = Target(program="", age_group="", nutrient="", basis="", min=body.min,
                    max=body.max)
    return TargetPublic.model_validate(
        services.reference.save_target(actor, bounds, target_id, body.revision))
