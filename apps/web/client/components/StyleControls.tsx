import { FONT_FACES, FONT_IDS, type FontId, TEXT_CASES, type TextStyle, type TextStyleOverride } from '@memelab/core';

interface StyleControlsProps {
  /** The template's own style, shown until the user overrides a field. */
  readonly base: TextStyle;
  readonly override: TextStyleOverride;
  readonly onChange: (override: TextStyleOverride) => void;
}

const CASE_LABELS: Readonly<Record<TextStyle['case'], string>> = {
  upper: 'UPPER CASE',
  lower: 'lower case',
  none: 'As typed',
};

const isFontId = (value: string): value is FontId => (FONT_IDS as readonly string[]).includes(value);
const isCase = (value: string): value is TextStyle['case'] => (TEXT_CASES as readonly string[]).includes(value);

/** Colour inputs only take #rrggbb; a translucent template colour shows as its opaque part. */
const opaque = (color: string): string => color.slice(0, 7);

/** Returns the override without `key` when the value is the template's own. */
const withField = <K extends keyof TextStyleOverride>(
  override: TextStyleOverride,
  key: K,
  value: TextStyleOverride[K] | undefined,
): TextStyleOverride => {
  const next: TextStyleOverride = { ...override };
  if (value === undefined) delete next[key];
  else next[key] = value;
  return next;
};

interface ColorFieldProps extends StyleControlsProps {
  readonly label: string;
  readonly field: 'color' | 'outlineColor';
  readonly testId: string;
}

const ColorField = ({ label, field, testId, base, override, onChange }: ColorFieldProps) => (
  <label class="field field--inline">
    <span class="field__label">{label}</span>
    <input
      type="color"
      value={opaque(override[field] ?? base[field])}
      onInput={(event) => onChange(withField(override, field, event.currentTarget.value))}
      data-testid={testId}
    />
  </label>
);

export const StyleControls = ({ base, override, onChange }: StyleControlsProps) => (
  <fieldset class="style-controls">
    <legend>Text style</legend>
    <label class="field">
      <span class="field__label">Font</span>
      <select
        value={override.font ?? ''}
        onChange={(event) => {
          const value = event.currentTarget.value;
          onChange(withField(override, 'font', isFontId(value) ? value : undefined));
        }}
        data-testid="style-font"
      >
        <option value="">Template default ({FONT_FACES[base.font].label})</option>
        {FONT_IDS.map((id) => (
          <option key={id} value={id}>
            {FONT_FACES[id].label}
          </option>
        ))}
      </select>
    </label>
    <ColorField
      label="Text colour"
      field="color"
      testId="style-color"
      base={base}
      override={override}
      onChange={onChange}
    />
    <ColorField
      label="Outline colour"
      field="outlineColor"
      testId="style-outline"
      base={base}
      override={override}
      onChange={onChange}
    />
    <label class="field">
      <span class="field__label">Case</span>
      <select
        value={override.case ?? ''}
        onChange={(event) => {
          const value = event.currentTarget.value;
          onChange(withField(override, 'case', isCase(value) ? value : undefined));
        }}
        data-testid="style-case"
      >
        <option value="">Template default ({CASE_LABELS[base.case]})</option>
        {TEXT_CASES.map((textCase) => (
          <option key={textCase} value={textCase}>
            {CASE_LABELS[textCase]}
          </option>
        ))}
      </select>
    </label>
    <button
      type="button"
      class="button button--quiet"
      disabled={Object.keys(override).length === 0}
      onClick={() => onChange({})}
    >
      Reset style
    </button>
  </fieldset>
);
