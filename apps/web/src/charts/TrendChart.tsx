import { LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

// The only place (with the rest of src/charts) that imports ECharts; loaded through React.lazy.
echarts.use([LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export interface TrendSeries {
  key: string;
  name: string;
  values: (number | null)[];
}

export default function TrendChart({ dates, series, height = 300 }: { dates: string[]; series: TrendSeries[]; height?: number }) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    if (!ref.current) return;
    const c = echarts.init(ref.current);
    chart.current = c;
    const observer = new ResizeObserver(() => c.resize());
    observer.observe(ref.current);
    return () => {
      observer.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(
      {
        tooltip: { trigger: 'axis' },
        legend: { top: 0 },
        grid: { left: 48, right: 16, top: 36, bottom: 28 },
        xAxis: { type: 'category', data: dates, boundaryGap: false },
        yAxis: { type: 'value', minInterval: 1 },
        series: series.map((s) => ({ id: s.key, name: s.name, type: 'line', smooth: true, showSymbol: dates.length < 40, data: s.values })),
      },
      { notMerge: true },
    );
  }, [dates, series]);

  return <div ref={ref} style={{ width: '100%', height }} data-testid="trend-chart" />;
}
