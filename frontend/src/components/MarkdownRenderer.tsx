import { memo } from 'react';
import ReactMarkdown, { defaultUrlTransform, type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { i18n } from '../i18n';

interface MdNode {
  type: string;
  value?: string;
  children?: MdNode[];
}

/**
 * Raw HTML in a message is shown as the text it is, never interpreted:
 * every `html` node becomes a `text` node before rendering.
 */
function remarkHtmlAsText() {
  const walk = (node: MdNode) => {
    if (node.type === 'html') node.type = 'text';
    node.children?.forEach(walk);
  };
  return (tree: MdNode) => walk(tree);
}

const components: Components = {
  a({ href, children }) {
    // defaultUrlTransform empties javascript:, data: and other unsafe URLs: such a
    // link is shown as plain text, so there is nothing to click.
    if (!href) {
      return (
        <span className="inert-link" title={i18n.t('messages.linkRemoved')}>
          {children}
        </span>
      );
    }
    return (
      <a href={href} target="_blank" rel="noopener noreferrer nofollow">
        {children}
      </a>
    );
  },
  img({ src, alt }) {
    // Remote images are not loaded in a chat (privacy); offer them as a link.
    if (!src || typeof src !== 'string') return <span>{alt}</span>;
    return (
      <a href={src} target="_blank" rel="noopener noreferrer nofollow">
        {alt ? `Image: ${alt}` : 'Image'}
      </a>
    );
  },
};

export const MarkdownRenderer = memo(function MarkdownRenderer({ text }: { text: string }) {
  return (
    <div className="markdown">
      <ReactMarkdown
        remarkPlugins={[remarkGfm, remarkHtmlAsText]}
        skipHtml={false}
        urlTransform={defaultUrlTransform}
        components={components}
      >
        {text}
      </ReactMarkdown>
    </div>
  );
});

export default MarkdownRenderer;
