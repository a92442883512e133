import type {
  SloMetricView,
  StepChange,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import { memo, useMemo } from 'react';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { countGaps, stepChangeLabel, toChartRows } from '../../lib/chartData';
import { formatClock, formatValue } from '../../lib/format';
import { StatusLabel } from '../common/StatusLabel';
import { useInView } from '../common/useInView';

const SLO_TONES = { ok: 'ok', breach: 'error', unknown: 'warning' } as const;

/** A sentence that says what the chart shows, for screen readers and as its caption. */
export function sloSummary(slo: SloMetricView): string {
  const direction = slo.comparison === 'below' ? 'at most' : 'at least';
  return (
    `${slo.name}: canary ${formatValue(slo.canary.current, slo.unit)}, ` +
    `stable ${formatValue(slo.stable.current, slo.unit)}; healthy while ` +
    `${direction} ${formatValue(slo.threshold, slo.unit)}; status ${
      slo.status
    }.`
  );
}

/** One SLO over time: canary and stable lines, the threshold and the step changes. */
export const SloChart = memo(function SloChartView(props: {
  slo: SloMetricView;
  stepChanges: StepChange[];
  height?: number;
  /** A fixed width in pixels; by default the chart fills its container. */
  width?: number;
}) {
  const { slo, stepChanges } = props;
  const theme = useTheme();
  const rows = useMemo(() => toChartRows(slo), [slo]);
  const summary = sloSummary(slo);
  const gaps = countGaps(rows, 'canary') + countGaps(rows, 'stable');
  const format = (value: number) => formatValue(value, slo.unit);
  const height = props.height ?? 240;
  // drawn when scrolled near: recharts measures its text on mount, the
  // costliest part of the tab's first render
  const [chartRef, inView] = useInView<HTMLDivElement>();
  const chart = (
    <LineChart
      data={rows}
      width={props.width}
      height={height}
      margin={{ top: 16, right: 24, left: 8 }}
    >
      <CartesianGrid strokeDasharray="3 3" />
      <XAxis
        dataKey="t"
        type="number"
        scale="time"
        domain={['dataMin', 'dataMax']}
        tickFormatter={formatClock}
      />
      <YAxis tickFormatter={format} width={64} />
      <Tooltip
        labelFormatter={label => formatClock(Number(label))}
        // the exact value beside the rounded one
        formatter={(value: number) =>
          typeof value === 'number' && format(value) !== String(value)
            ? `${format(value)} (exact ${value})`
            : format(value)
        }
      />
      <Legend />
      {stepChanges.map(change => (
        <ReferenceLine
          key={`${change.t}-${change.stepIndex}`}
          x={change.t}
          stroke={theme.palette.text.secondary}
          strokeDasharray="2 4"
          label={{
            value: stepChangeLabel(change),
            position: 'insideTopLeft',
            fontSize: 11,
          }}
        />
      ))}
      <ReferenceLine
        y={slo.threshold}
        stroke={theme.palette.error.main}
        strokeWidth={2}
        label={{
          value: `threshold ${format(slo.threshold)}`,
          position: 'insideBottomRight',
          fontSize: 11,
        }}
      />
      <Line
        name="canary"
        dataKey="canary"
        stroke={theme.palette.warning.dark}
        strokeWidth={2}
        dot={false}
        connectNulls={false}
        isAnimationActive={false}
      />
      <Line
        name="stable"
        dataKey="stable"
        stroke={theme.palette.info.main}
        strokeDasharray="6 3"
        strokeWidth={2}
        dot={false}
        connectNulls={false}
        isAnimationActive={false}
      />
    </LineChart>
  );
  return (
    <Box component="figure" m={0} data-testid={`slo-${slo.name}`}>
      <Box display="flex" alignItems="center" flexWrap="wrap">
        <Box mr={1}>
          <Typography variant="subtitle2" component="h4">
            {slo.description ?? slo.name}
          </Typography>
        </Box>
        <StatusLabel tone={SLO_TONES[slo.status]}>{slo.status}</StatusLabel>
      </Box>
      <div
        role="img"
        aria-label={summary}
        ref={chartRef}
        style={{ minHeight: height }}
      >
        {inView && props.width ? chart : null}
        {inView && !props.width ? (
          <ResponsiveContainer
            width="100%"
            height={height}
            initialDimension={{ width: 600, height }}
          >
            {chart}
          </ResponsiveContainer>
        ) : null}
      </div>
      <Typography variant="caption" component="figcaption">
        {summary}
        {gaps > 0 ? ` Gaps mark times without data (${gaps}).` : ''}
        {slo.canary.message ? ` Canary: ${slo.canary.message}.` : ''}
        {slo.stable.message ? ` Stable: ${slo.stable.message}.` : ''}
        {stepChanges.length > 0 &&
          ` Step changes: ${stepChanges
            .map(
              change =>
                `${formatClock(change.t)} ${stepChangeLabel(change)}${
                  change.detail ? ` (${change.detail})` : ''
                }`,
            )
            .join('; ')}.`}
      </Typography>
    </Box>
  );
});
