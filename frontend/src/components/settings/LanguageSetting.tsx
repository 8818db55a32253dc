import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { chooseLanguage, currentLanguage, LANGUAGES, type Language } from '../../i18n';

/** The app's language: a select, remembered on this device. */
export function LanguageSetting() {
  const { t } = useTranslation();
  const id = useId();
  return (
    <section className="settings-section" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>
        <label htmlFor={`${id}-select`}>{t('settings.language')}</label>
      </h2>
      <select
        className="select"
        id={`${id}-select`}
        value={currentLanguage()}
        onChange={(event) => void chooseLanguage(event.target.value as Language)}
      >
        {LANGUAGES.map((value) => (
          <option key={value} value={value} lang={value}>
            {t(`settings.languageNames.${value}`)}
          </option>
        ))}
      </select>
    </section>
  );
}
