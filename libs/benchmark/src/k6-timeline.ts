import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { TimelineRecorder } from './timeline';

/** One line of k6's `--out json` output that the timeline reads. */
interface K6Point {
  type?: string;
  metric?: string;
  data?: { time?: string; value?: number; tags?: Record<string, string> };
}

/**
 * The per-second timeline from k6's JSON output (`k6 run --out json=<file>`), read line by line:
 * the file holds every sample of the run and can be large, so it is streamed, never loaded. A
 * request is its `http_req_duration` point; it failed when the point's `expected_response` tag is
 * "false" (what k6's http_req_failed records). Time 0 is the first point's.
 */
export async function timelineFromK6Json(file: string): Promise<TimelineRecorder> {
  const recorder = new TimelineRecorder();
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let start: number | undefined;
  for await (const line of lines) {
    // Cheap filter before parsing: most lines are other metrics' points.
    if (!line.includes('"http_req_duration"') || !line.includes('"Point"')) continue;
    let point: K6Point;
    try {
      point = JSON.parse(line) as K6Point;
    } catch {
      continue;
    }
    if (point.type !== 'Point' || point.metric !== 'http_req_duration' || typeof point.data?.value !== 'number') continue;
    const at = Date.parse(point.data.time ?? '');
    if (Number.isNaN(at)) continue;
    start ??= at;
    recorder.record(at - start, point.data.value, point.data.tags?.expected_response === 'false');
  }
  return recorder;
}
