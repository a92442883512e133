import type { DoraFigure } from '@gitops-delivery/backstage-plugin-delivery-common';
import { useTheme } from '@material-ui/core/styles';
import { Line, LineChart, Tooltip, YAxis } from 'recharts';
import { formatFigure } from './DoraFormat';

/** The figure's daily series as a small line; the label says what it shows. */
export function DoraSparkline(props: {
  title: string;
  figure: DoraFigure;
  windowDays: number;
}) {
  const { title, figure, windowDays } = props;
  const theme = useTheme();
  const data = figure.series.map(p => ({
    day: new Date(p.t * 1000).toISOString().slice(0, 10),
    value: p.value,
  }));
  const days = figure.series.filter(p => p.value !== null).length;
  return (
    <div
      role="img"
      aria-label={`${title} per day over the last ${windowDays} days (${days} days with data)`}
    >
      <LineChart width={180} height={40} data={data}>
        <YAxis hide domain={[0, 'auto']} />
        <Tooltip
          formatter={(value: number) => formatFigure(value, figure.unit)}
          labelFormatter={(day: string) => day}
        />
        <Line
          type="monotone"
          dataKey="value"
          stroke={theme.palette.primary.main}
          strokeWidth={2}
          dot={false}
          connectNulls
          isAnimationActive={false}
        />
      </LineChart>
    </div>
  );
}
