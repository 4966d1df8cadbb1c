import { useEffect, useRef } from 'react';
import { LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import type { chartOption } from '../models/metric-charts.ts';

// Only what line charts need, so the console's bundle carries no more of ECharts.
echarts.use([LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

/** One ECharts chart, drawn on a canvas, redrawn when its option changes and resized with its box. */
export function MetricChart({
  option,
  height = 240,
  onPick,
}: {
  option: ReturnType<typeof chartOption>;
  height?: number;
  /** A click on the chart picks the time under the pointer (ms since the epoch). */
  onPick?: ((ms: number) => void) | undefined;
}) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const picked = useRef(onPick);
  picked.current = onPick;

  useEffect(() => {
    const chartInstance = echarts.init(box.current!);
    chart.current = chartInstance;
    const resized = new ResizeObserver(() => chartInstance.resize());
    resized.observe(box.current!);
    // Anywhere in the plot, not only on a line's point: the time axis's value under the pointer.
    chartInstance.getZr().on('click', (e) => {
      if (!picked.current || !chartInstance.containPixel({ gridIndex: 0 }, [e.offsetX, e.offsetY])) return;
      const [ms] = chartInstance.convertFromPixel({ gridIndex: 0 }, [e.offsetX, e.offsetY]) as number[];
      if (typeof ms === 'number' && Number.isFinite(ms)) picked.current(ms);
    });
    return () => {
      resized.disconnect();
      chartInstance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    // notMerge: a line that left (an operator of an older run) goes from the chart too.
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  return (
    <div
      ref={box}
      style={{ height, width: '100%', cursor: onPick ? 'crosshair' : undefined }}
      data-testid="metric-chart"
    />
  );
}
