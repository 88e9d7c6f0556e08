import type { ProgramDetails } from '../api/types.js';
import { CopyButton } from '../components/copy-button.js';
import { useI18n } from '../i18n/i18n-context.js';
import { FLOW_DIAGRAM, guideSteps, platformUrlOf } from '../lib/snippets.js';

/**
 * The integration guide in the console: the binding flow and each step's `@mycard/merchant`
 * snippet, filled with this program's channel id and the platform URL (docs/integration-guide.md
 * is the same guide for reading outside the console).
 */
export function GuideTab({ details }: { details: ProgramDetails }) {
  const { t } = useI18n();
  const platformUrl = platformUrlOf(details.jwksUrl, window.location.origin);
  const steps = guideSteps({ channelId: details.program.channelId, platformUrl });
  return (
    <div className="stack-lg guide">
      <p className="lead">{t('guide.intro')}</p>
      <section className="panel">
        <h2>{t('guide.flow')}</h2>
        <p className="hint">{t('guide.flow.caption')}</p>
        <pre className="code-block diagram">{FLOW_DIAGRAM}</pre>
      </section>
      <ol className="steps">
        {steps.map((step, i) => (
          <li key={step.id} className="panel step">
            <div className="step-head">
              <span className="step-number" aria-hidden="true">
                {i + 1}
              </span>
              <div>
                <h2>{t(`guide.step.${step.id}`)}</h2>
                <p className="hint">{t(`guide.step.${step.id}.body`)}</p>
              </div>
            </div>
            <div className="code-wrap">
              <div className="code-bar">
                <span className="code-lang">{step.lang === 'sh' ? 'shell' : 'TypeScript'}</span>
                <CopyButton text={step.code} label={`${t('common.copy')}: ${t(`guide.step.${step.id}`)}`} />
              </div>
              <pre className="code-block">
                <code>{step.code}</code>
              </pre>
            </div>
          </li>
        ))}
      </ol>
    </div>
  );
}
