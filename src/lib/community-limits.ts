// Length limits of community fields; no imports, so client forms can show them cheaply.
export const ADDRESS_MIN = 3;
export const ADDRESS_MAX = 30;
export const NAME_MAX = 60;
export const DESCRIPTION_MAX = 500;
export const RULES_MAX = 5000;
