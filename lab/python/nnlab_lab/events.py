"""The event stream JupyterLab 4 subscribes to, for Jupyter Server 1.x.

@jupyterlab/services 7's EventManager opens a websocket to /api/events/subscribe as soon as the
app starts, and reopens it with back-off whenever it fails. Jupyter Server 2 added that route
with its event bus (jupyter_events); 1.23 has neither, so the handshake answers 404 forever
(a console error every few seconds). 1.23 emits no events, so the honest answer is a stream that
authenticates like the kernel sockets and then carries nothing. POST /api/events (emitting from
the browser) is not served: 1.23 has no bus to emit on, and JupyterLab's core does not post.
"""
from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.base.zmqhandlers import WebSocketMixin
from tornado import web
from tornado.websocket import WebSocketHandler


class EventsSubscribeHandler(WebSocketMixin, WebSocketHandler, JupyterHandler):
    def set_default_headers(self):
        # JupyterHandler's headers (CSP and the like) are for pages, not a websocket handshake.
        pass

    async def get(self, *args, **kwargs):
        user = self.get_current_user()
        if user is None:
            raise web.HTTPError(403, "events: not authenticated")
        if not self.authorizer.is_authorized(self, user, "read", "events"):
            raise web.HTTPError(403, "events: not authorized to read events")
        await super().get(*args, **kwargs)

    def on_message(self, message):
        # Subscribers only listen; nothing a client sends has a meaning here.
        pass
