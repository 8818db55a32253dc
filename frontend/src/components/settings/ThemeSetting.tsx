import { useState } from 'react';
import { forgetTheme, saveTheme, storedTheme, type Theme } from '../../theme';

type Choice = Theme | 'system';
const CHOICES: { value: Choice; label: string }[] = [
  { value: 'system', label: 'Same as my device' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

export function ThemeSetting() {
  const [choice, setChoice] = useState<Choice>(() => storedTheme() ?? 'system');
  function choose(value: Choice) {
    if (value === 'system') forgetTheme();
    else saveTheme(value);
    setChoice(value);
  }
  return (
    <section className="settings-section" aria-labelledby="settings-theme">
      <h2 id="settings-theme">Theme</h2>
      <fieldset className="settings-choices">
        <legend className="visually-hidden">Theme</legend>
        {CHOICES.map(({ value, label }) => (
          <label key={value} className="settings-choice">
            <input
              type="radio"
              name="theme"
              value={value}
              checked={choice === value}
              onChange={() => choose(value)}
            />
            {label}
          </label>
        ))}
      </fieldset>
    </section>
  );
}
