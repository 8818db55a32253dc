/** A thumb up or down drawn as SVG (Lucide's outline, ISC licence): an emoji thumb is an empty box
 * on systems without an emoji font. Filled while its button is pressed (styles.css). */
export function ThumbIcon({ direction }: { direction: 'up' | 'down' }) {
  return (
    <svg
      className="thumb-icon"
      viewBox="0 0 24 24"
      width="16"
      height="16"
      aria-hidden="true"
      focusable="false"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
    >
      <g transform={direction === 'down' ? 'rotate(180 12 12)' : undefined}>
        <path d="M7 10v12" />
        <path d="M15 5.88 14 10h5.83a2 2 0 0 1 1.92 2.56l-2.33 8A2 2 0 0 1 17.5 22H4a2 2 0 0 1-2-2v-8a2 2 0 0 1 2-2h2.76a2 2 0 0 0 1.79-1.11L12 2a3.13 3.13 0 0 1 3 3.88Z" />
      </g>
    </svg>
  );
}
