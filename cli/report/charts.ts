/**
 * Charts for the planning reports (`peakline plan --html`, `peakline simulate --html`), rendered to SVG on
 * the server by Apache ECharts' server-side renderer: no browser, no DOM and no script in the page, so a
 * report opens anywhere, prints as it looks on screen and can be mailed as one file.
 */
import { BarChart, LineChart } from 'echarts/charts';
import {
  GridSimpleComponent,
  LegendPlainComponent,
  MarkAreaComponent,
  MarkLineComponent,
  TitleComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import type { EChartsOption, SeriesOption } from 'echarts';

/**
 * Only the parts the charts draw (line and bar series, title, legend, grid, a target line, shaded bands,
 * the SVG renderer), not the whole library: ECharts' own tree-shaking entry points. The monthly report's
 * function draws these charts; with the whole library its bundle was 2.1 MB, most of its cold start. The
 * grid without the axis pointer (a hover feature, nothing to draw in a static SVG) and the plain legend
 * without the scrolling one: 31 KiB less bundle, the same SVG byte for byte (bench/levers.ts).
 */
echarts.use([
  BarChart,
  LineChart,
  GridSimpleComponent,
  LegendPlainComponent,
  MarkAreaComponent,
  MarkLineComponent,
  TitleComponent,
  SVGRenderer,
]);

export interface ChartSeries {
  readonly name: string;
  /** One value per category; null leaves a gap (an interval the centre is closed). */
  readonly data: readonly (number | null)[];
  /** @default 'line' */
  readonly kind?: 'line' | 'bar';
  /** Series with the same stack name are drawn on top of each other (bars or filled areas). */
  readonly stack?: string;
  /** Fills the area under a line. @default false */
  readonly area?: boolean;
  /** 0: the left axis, 1: the right one (give `y2Name` then). @default 0 */
  readonly yAxis?: 0 | 1;
  /** A step line (staffing changes from one interval to the next, not in between). @default false */
  readonly step?: boolean;
}

/** A shaded stretch of the x axis, e.g. the minutes the second line was open. */
export interface ChartBand {
  readonly from: string;
  readonly to: string;
  readonly label?: string;
}

export interface ChartSpec {
  readonly title: string;
  /** The x axis: interval starts, days or seat types, already formatted for the reader. */
  readonly categories: readonly string[];
  readonly series: readonly ChartSeries[];
  readonly yName?: string;
  readonly y2Name?: string;
  /** A horizontal reference line on the left axis, e.g. the service-level target. */
  readonly target?: { readonly value: number; readonly label: string };
  readonly bands?: readonly ChartBand[];
  /** Formats the left axis as percentages of 1 (service level, abandonment). @default false */
  readonly percent?: boolean;
  /** Writes the value axes' numbers, e.g. in the reader's locale (2 100 in Polish). @default ECharts' own */
  readonly numberFormat?: (value: number) => string;
  /** Pixels; the page scales the SVG to its width. @default 900 × 320 */
  readonly width?: number;
  readonly height?: number;
}

// Colours a reader can tell apart in print and by most colour-blind readers (Okabe–Ito).
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#F0E442', '#000000'];

/** The chart as an SVG document string (`<svg …>…</svg>`), ready to be placed in an HTML page. */
export const chartSvg = (spec: ChartSpec): string => {
  const width = spec.width ?? 900;
  const height = spec.height ?? 320;
  const twoAxes = spec.series.some((s) => s.yAxis === 1);
  // A band's label is drawn only where it fits: labels of short bands side by side overprint each other.
  const wideEnough = (band: ChartBand): boolean =>
    spec.categories.indexOf(band.to) - spec.categories.indexOf(band.from) >=
    Math.max(2, spec.categories.length / 16);
  const axis = (name: string | undefined, percent: boolean) => ({
    type: 'value' as const,
    ...(name === undefined ? {} : { name, nameTextStyle: { align: 'left' as const } }),
    ...(percent
      ? { axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` } }
      : spec.numberFormat === undefined
        ? {}
        : { axisLabel: { formatter: spec.numberFormat } }),
  });
  const option: EChartsOption = {
    // A static picture: animation would only delay the first frame the renderer writes.
    animation: false,
    color: PALETTE,
    title: { text: spec.title, left: 0, textStyle: { fontSize: 14 } },
    // The legend sits under the axis: above it, a long title and a long legend collide.
    legend: { bottom: 0, left: 0, type: 'plain', itemGap: 24 },
    grid: { left: 56, right: twoAxes ? 56 : 16, top: 68, bottom: 64 },
    xAxis: { type: 'category', data: [...spec.categories], axisLabel: { hideOverlap: true } },
    yAxis: twoAxes
      ? [axis(spec.yName, spec.percent === true), axis(spec.y2Name, false)]
      : axis(spec.yName, spec.percent === true),
    series: spec.series.map((s, index) => ({
      name: s.name,
      type: s.kind ?? 'line',
      data: [...s.data],
      ...(s.stack === undefined ? {} : { stack: s.stack }),
      ...(s.area === true ? { areaStyle: { opacity: 0.25 } } : {}),
      ...(s.yAxis === 1 ? { yAxisIndex: 1 } : {}),
      ...(s.step === true ? { step: 'end' as const } : {}),
      ...((s.kind ?? 'line') === 'line' ? { showSymbol: false, connectNulls: false } : {}),
      // The target line and the bands ride on the first series, so they exist once whatever the series.
      ...(index === 0 && spec.target
        ? {
            markLine: {
              silent: true,
              symbol: 'none',
              lineStyle: { type: 'dashed' as const, color: '#555' },
              label: { formatter: spec.target.label, position: 'insideEndTop' as const },
              data: [{ yAxis: spec.target.value }],
            },
          }
        : {}),
      ...(index === 0 && spec.bands && spec.bands.length > 0
        ? {
            markArea: {
              silent: true,
              itemStyle: { color: 'rgba(213, 94, 0, 0.12)' },
              data: spec.bands.map(
                (band) =>
                  [
                    {
                      xAxis: band.from,
                      ...(band.label === undefined || !wideEnough(band) ? {} : { name: band.label }),
                    },
                    { xAxis: band.to },
                  ] as [{ xAxis: string; name?: string }, { xAxis: string }],
              ),
            },
          }
        : {}),
    })) as SeriesOption[],
  };
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  // On the server nothing animates, yet zrender starts its animation loop on every refresh: a 16 ms timer
  // per chart that can only fire once the page is written, doing nothing (the monthly report's function
  // left 7, which a cold start's bench took for waiting). The loop is never needed to render to a string.
  chart.getZr().animation.start = () => undefined;
  try {
    chart.setOption(option);
    return chart.renderToSVGString();
  } finally {
    // Each chart holds its own zrender instance; a report with many charts must not keep them all.
    chart.dispose();
  }
};
