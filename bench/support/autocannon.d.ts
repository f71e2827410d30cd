/** The part of autocannon's API the service bench uses (the package ships no types). */
declare module 'autocannon' {
  interface Histogram { average: number; p50: number; p99: number }
  interface Result { requests: Histogram; latency: Histogram; '2xx': number; non2xx: number }
  interface Options { url: string; headers?: Record<string, string>; connections?: number; duration?: number }
  export default function autocannon(options: Options): Promise<Result>;
}
