/** A row of questions as buttons: a click sends that question as the user's next message. */
export function PromptChips({
  label,
  prompts,
  disabled = false,
  onPick,
  className = '',
}: {
  /** What the group is, for screen readers. */
  label: string;
  prompts: readonly string[];
  disabled?: boolean;
  onPick: (text: string) => void;
  className?: string;
}) {
  return (
    <div className={`prompt-chips ${className}`.trim()} role="group" aria-label={label}>
      {prompts.map((text) => (
        <button key={text} type="button" className="prompt-chip" disabled={disabled} onClick={() => onPick(text)}>
          {text}
        </button>
      ))}
    </div>
  );
}
