"""Fixed vocabularies of the data contract (see ../shared/CONTRACTS.md)."""

from __future__ import annotations

# Nutrient columns of foods.csv, per 100 g of edible portion.
NUTRIENTS: tuple[str, ...] = (
    "energy_kcal",
    "protein_g",
    "fat_g",
    "carbohydrate_g",
    "fiber_g",
    "calcium_mg",
    "iron_mg",
    "zinc_mg",
    "vitamin_a_ug_rae",
    "vitamin_c_mg",
    "folate_ug_dfe",
    "sodium_mg",
)

# Spanish labels for what people read.
NUTRIENT_LABELS_ES: dict[str, str] = {
    "energy_kcal": "energía (kcal)",
    "protein_g": "proteína (g)",
    "fat_g": "grasa (g)",
    "carbohydrate_g": "carbohidratos (g)",
    "fiber_g": "fibra (g)",
    "calcium_mg": "calcio (mg)",
    "iron_mg": "hierro (mg)",
    "zinc_mg": "zinc (mg)",
    "vitamin_a_ug_rae": "vitamina A (µg ER)",
    "vitamin_c_mg": "vitamina C (mg)",
    "folate_ug_dfe": "folato (µg EFD)",
    "sodium_mg": "sodio (mg)",
    "fat_energy_pct": "grasa (% de la energía)",
}

# A rule row that applies to every value of its column (every age group, every food).
ANY = "*"


def nutrient_label_es(nutrient: str) -> str:
    """The nutrient's Spanish name without its unit, e.g. "proteína" (the fat share keeps
    its "% de la energía")."""
    label = NUTRIENT_LABELS_ES.get(nutrient, nutrient)
    return label if "%" in label else label.split(" (")[0]

# Derived quantities a target may name besides the nutrient columns (an addition to the
# contract, documented in docs/contract-additions.md): the share of energy from fat.
FAT_ENERGY_PCT = "fat_energy_pct"
KCAL_PER_G_FAT = 9.0
DERIVED_NUTRIENTS: tuple[str, ...] = (FAT_ENERGY_PCT,)

NATIONAL = "Nacional"

DEPARTMENTS: tuple[str, ...] = (
    "Alta Verapaz",
    "Baja Verapaz",
    "Chimaltenango",
    "Chiquimula",
    "El Progreso",
    "Escuintla",
    "Guatemala",
    "Huehuetenango",
    "Izabal",
    "Jalapa",
    "Jutiapa",
    "Petén",
    "Quetzaltenango",
    "Quiché",
    "Retalhuleu",
    "Sacatepéquez",
    "San Marcos",
    "Santa Rosa",
    "Sololá",
    "Suchitepéquez",
    "Totonicapán",
    "Zacapa",
)

# Food groups of the Guatemalan dietary guidelines' "olla familiar", split so that menu rules
# can name legumes and animal-source foods on their own.
FOOD_GROUPS: dict[str, str] = {
    "cereales": "Cereales, granos y tubérculos",
    "leguminosas": "Leguminosas (frijol, lenteja, soya)",
    "verduras": "Hierbas y verduras",
    "frutas": "Frutas",
    "lacteos_huevos": "Leche, derivados y huevos",
    "carnes": "Carnes, aves y pescado",
    "azucares": "Azúcares",
    "grasas": "Grasas y aceites",
    "otros": "Condimentos, bebidas y otros",
}

UNKNOWN_MARK = "ND"  # how foods.csv spells "no source has this value"
