import { useEffect, useRef } from 'react';
import { BarController, BarElement, CategoryScale, Chart, Legend, LineController, LineElement, LinearScale, PointElement, Tooltip } from 'chart.js';
import type { DashboardDay } from '../api/types';

Chart.register(BarController, BarElement, CategoryScale, Legend, LineController, LineElement, LinearScale, PointElement, Tooltip);

/** jsdom (unit tests) has no canvas; the chart is drawn only in a real browser. */
const canDraw = () => typeof navigator === 'undefined' || !/jsdom/i.test(navigator.userAgent);

/** Revenue per day (bars) and orders per day (line), drawn with Chart.js. */
export function SalesChart({ days, testId = 'sales-chart' }: { days: DashboardDay[]; testId?: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current || !canDraw()) return;
    const chart = new Chart(canvas.current, {
      data: {
        labels: days.map((d) => d.day),
        datasets: [
          { type: 'bar', label: 'Revenue', data: days.map((d) => Number(d.revenue)), backgroundColor: 'rgba(79, 70, 229, 0.6)', yAxisID: 'revenue' },
          {
            type: 'line',
            label: days.some((d) => d.orders !== undefined) ? 'Orders' : 'Units sold',
            data: days.map((d) => Number(d.orders ?? d.purchases ?? 0)),
            borderColor: 'rgb(16, 185, 129)',
            backgroundColor: 'rgb(16, 185, 129)',
            yAxisID: 'count',
          },
        ],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: {
          revenue: { type: 'linear', position: 'left', beginAtZero: true },
          count: { type: 'linear', position: 'right', beginAtZero: true, grid: { drawOnChartArea: false }, ticks: { precision: 0 } },
        },
      },
    });
    return () => chart.destroy();
  }, [days]);
  return (
    <div className="relative h-64" data-testid={testId} data-days={days.length}>
      <canvas ref={canvas} role="img" aria-label="Revenue and orders per day" />
    </div>
  );
}
