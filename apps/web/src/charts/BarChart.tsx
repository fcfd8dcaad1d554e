import { BarChart as EBarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

// A horizontal bar chart (categories with one value each); loaded through React.lazy.
echarts.use([EBarChart, GridComponent, TooltipComponent, CanvasRenderer]);

export default function BarChart({ labels, values, name, height = 300, testId = 'bar-chart' }: { labels: string[]; values: number[]; name: string; height?: number; testId?: string }) {
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
        grid: { left: 96, right: 24, top: 16, bottom: 24 },
        xAxis: { type: 'value', minInterval: 1 },
        yAxis: { type: 'category', data: [...labels].reverse() },
        series: [{ name, type: 'bar', data: [...values].reverse(), itemStyle: { color: '#0b7a3e' } }],
      },
      { notMerge: true },
    );
  }, [labels, values, name]);

  return <div ref={ref} style={{ width: '100%', height }} data-testid={testId} />;
}
