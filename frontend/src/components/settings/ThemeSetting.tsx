import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { forgetTheme, saveTheme, storedTheme, type Theme } from '../../theme';

type Choice = Theme | 'system';
const CHOICES = [
  { value: 'system', label: 'settings.themeSystem' },
  { value: 'light', label: 'settings.themeLight' },
  { value: 'dark', label: 'settings.themeDark' },
] as const satisfies readonly { value: Choice; label: string }[];

export function ThemeSetting() {
  const { t } = useTranslation();
  const [choice, setChoice] = useState<Choice>(() => storedTheme() ?? 'system');
  function choose(value: Choice) {
    if (value === 'system') forgetTheme();
    else saveTheme(value);
    setChoice(value);
  }
  return (
    <section className="settings-section" aria-labelledby="settings-theme">
      <h2 id="settings-theme">{t('settings.theme')}</h2>
      <fieldset className="settings-choices">
        <legend className="visually-hidden">{t('settings.theme')}</legend>
        {CHOICES.map(({ value, label }) => (
          <label key={value} className="settings-choice">
            <input
              type="radio"
              name="theme"
              value={value}
              checked={choice === value}
              onChange={() => choose(value)}
            />
            {t(label)}
          </label>
        ))}
      </fieldset>
    </section>
  );
}
