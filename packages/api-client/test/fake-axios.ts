import axios, {
  AxiosError,
  AxiosHeaders,
  type AxiosInstance,
  type InternalAxiosRequestConfig,
} from 'axios';

export interface FakeReply {
  status: number;
  data?: unknown;
  headers?: Record<string, string>;
}

/** An axios instance whose adapter records requests and answers from a script. */
export function fakeAxios(
  reply: (config: InternalAxiosRequestConfig) => FakeReply | Promise<FakeReply>,
): {
  http: AxiosInstance;
  requests: InternalAxiosRequestConfig[];
} {
  const requests: InternalAxiosRequestConfig[] = [];
  const http = axios.create({
    adapter: async (config) => {
      requests.push(config);
      const r = await reply(config);
      const response = {
        status: r.status,
        statusText: String(r.status),
        data: r.data,
        headers: new AxiosHeaders(r.headers ?? {}),
        config,
      };
      if (r.status >= 200 && r.status < 300) return response;
      throw new AxiosError(
        `Request failed with status code ${r.status}`,
        AxiosError.ERR_BAD_RESPONSE,
        config,
        null,
        response,
      );
    },
  });
  return { http, requests };
}

export const initiateOk = {
  upload_id: 'upl_1',
  file_uid: 'fil_1',
  file_name: 'a.csv',
  total_bytes: 10,
  num_parts: 1,
  part_size: 8,
  is_resume: false,
  integrity_algorithm: 'crc32c',
  parts: [
    {
      part_number: 0,
      url: 'http://s/p0',
      offset: 0,
      length: 10,
      expires_at: '2030-01-01T00:00:00Z',
    },
  ],
};
