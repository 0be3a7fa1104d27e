"""``compliance serve``: the checker as an HTTP API for a CMS's pre-publish hook and a web page for editors.

It owns the ASGI application (Starlette, served by uvicorn; the ``serve``
extra), its safety rules (token, loopback, body cap, time budget, address
policy) and the editor's page. It imports the runner, policies and
reporters and nothing imports it but the CLI: a check through the server is
the same check, with the same result model and reporters, as on the command
line.

    settings   what a server is started with; the bind rule
    problems   RFC 9457 problem documents: every error a client sees
    catalog    the policies a server offers, by id
    work       one check, as it runs in a worker process
    pool       checks in compliance.pool's supervised workers, answered as each is done
    fetching   URL fetches under the server's address policy
    guard      host, token and body-size checks before any route
    api        /v1/check, /v1/policies, /healthz
    web        the editor's page at /
    openapi    /openapi.json
    app        the ASGI application
    run        binding the socket and starting uvicorn
"""
