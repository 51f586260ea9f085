/**
 * The only bridge between the renderer and the main process: one function per contract method
 * and one subscriber per event. No ipcRenderer, process or generic invoke is exposed.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { buildClient, channelOf, eventChannelOf } from '../shared/contract'
import type { Result } from '../shared/result'

const api = buildClient(
  (name, input) => ipcRenderer.invoke(channelOf(name), input) as Promise<Result<unknown>>,
  (name, listener) => {
    const handler = (_event: IpcRendererEvent, payload: unknown) => listener(payload)
    ipcRenderer.on(eventChannelOf(name), handler)
    return () => ipcRenderer.removeListener(eventChannelOf(name), handler)
  },
)

contextBridge.exposeInMainWorld('frontdesk', api)
