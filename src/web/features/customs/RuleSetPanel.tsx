import { useEffect, useState } from 'react';
import { BarChart } from '../../components/charts.tsx';
import { LANE_COLOURS, Problem } from '../../components/common.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { api, ApiError } from '../../lib/api.ts';
import { useAction } from '../../lib/use-action.ts';
import { useApi } from '../../lib/use-api.ts';

interface RuleSetAnswer {
  scope: string;
  version: number;
  createdAt: string;
  rules: unknown;
}

interface Backtest {
  declarations: number;
  lanes: Record<string, number>;
  rules: { ruleId: string; lane: string; hits: number; selected: number; hitRate: number }[];
  random: number;
  topUp: number;
}

/**
 * The country's risk rules as JSON, starting from the rule set in force (the empty one when none
 * is published), each field of the schema explained beside it: read them, change them, back-test the change on the past
 * declarations (lane mix and each rule's hits), and publish it as a new version (admins).
 */
export function RuleSetPanel({ country, admin }: { country: string; admin: boolean }) {
  const { t, number } = useI18n();
  const { data, reload } = useApi<RuleSetAnswer>(`/v1/customs/rule-sets/${country}`);
  const [text, setText] = useState('');
  const [result, setResult] = useState<Backtest | null>(null);
  const [error, setError] = useState<Error | null>(null);
  useEffect(() => {
    if (data) setText(JSON.stringify(data.rules, null, 2));
  }, [data]);
  const parsed = (): unknown => {
    try {
      return JSON.parse(text);
    } catch (e) {
      throw new ApiError(400, `JSON: ${(e as Error).message}`);
    }
  };
  const { pending, run: start } = useAction();
  const run = (what: 'backtest' | 'publish') =>
    void start(() => {
      setError(null);
      return Promise.resolve()
        .then(() => parsed())
        .then((rules) =>
          what === 'backtest'
            ? api<Backtest>('POST', `/v1/customs/rule-sets/${country}/backtest`, rules).then(
                setResult,
              )
            : api('PUT', `/v1/customs/rule-sets/${country}`, rules).then(reload),
        )
        .catch((e: unknown) => setError(e as Error));
    });
  return (
    <section className="card">
      <h2>{t('customs.rules')}</h2>
      {data && (
        <p className="muted" data-testid="rule-version">
          {data.version === 0
            ? t('customs.noRuleSet')
            : t('customs.ruleVersion', { version: data.version })}
        </p>
      )}
      <details open>
        <summary>{t('customs.schema')}</summary>
        <dl className="facts" data-testid="rule-schema">
          {(['randomRate', 'expectedRates', 'aeo', 'rule', 'when'] as const).map((f) => (
            <div key={f} className="contents">
              <dt>
                <code>{f === 'rule' ? 'rules[]' : f}</code>
              </dt>
              <dd>{t(`customs.schema.${f}`)}</dd>
            </div>
          ))}
        </dl>
      </details>
      <label>
        {t('customs.rulesJson')}
        <textarea
          rows={10}
          value={text}
          onChange={(e) => setText(e.target.value)}
          spellCheck={false}
          className="code"
        />
      </label>
      <div className="actions">
        <button
          type="button"
          disabled={pending}
          onClick={() => run('backtest')}
          data-testid="backtest"
        >
          {t('customs.backtest')}
        </button>
        {admin && (
          <button
            type="button"
            className="primary"
            disabled={pending}
            onClick={() => run('publish')}
          >
            {t('customs.publish')}
          </button>
        )}
      </div>
      <Problem error={error} />
      {result && (
        <div className="charts" data-testid="backtest-result">
          <BarChart
            title={t('customs.backtestLanes', { count: result.declarations })}
            rows={Object.entries(result.lanes).map(([lane, n]) => ({
              label: t(`lane.${lane}` as 'lane.green'),
              value: n,
              colour: LANE_COLOURS[lane],
            }))}
          />
          <div
            className="table-wrap"
            tabIndex={0}
            role="region"
            aria-label={t('customs.backtestRules')}
          >
            <table>
              <caption>{t('customs.backtestRules')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('customs.rule')}</th>
                  <th scope="col">{t('customs.lane')}</th>
                  <th scope="col">{t('customs.hits')}</th>
                  <th scope="col">{t('customs.selected')}</th>
                  <th scope="col">%</th>
                </tr>
              </thead>
              <tbody>
                {result.rules.map((r) => (
                  <tr key={r.ruleId}>
                    <th scope="row">{r.ruleId}</th>
                    <td>{t(`lane.${r.lane}` as 'lane.green')}</td>
                    <td>{r.hits}</td>
                    <td>{r.selected}</td>
                    <td>{number(r.hitRate * 100, 1)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </section>
  );
}
