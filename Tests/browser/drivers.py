"""Two headless browsers behind one small interface, with nothing downloaded at run time:
Chromium through Selenium and Debian's chromedriver, Firefox ESR through its built-in
WebDriver BiDi (a websocket; Debian has no geckodriver). Every call has a time-out."""
import base64, itertools, json, os, socket, subprocess, tempfile, time
from pathlib import Path


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    name = "?"

    def js(self, expression):
        """The value of a JavaScript expression in the page, through JSON."""
        raise NotImplementedError

    def until(self, expression, timeout, poll=0.05):
        """Whether the expression becomes truthy within the time-out."""
        try:
            return bool(self.wait(expression, timeout, "", poll))
        except TimeoutError:
            return False

    def wait(self, expression, timeout, what, poll=0.05):
        """Polls until the expression is truthy; returns its value or raises naming `what`."""
        end = time.monotonic() + timeout
        while True:
            value = self.js(expression)
            if value:
                return value
            if time.monotonic() > end:
                raise TimeoutError(f"{self.name}: {what} (waited {timeout} s)")
            time.sleep(poll)


class Chromium(Browser):
    name = "chromium"

    def __init__(self, downloads, out):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
        opts = webdriver.ChromeOptions()
        opts.binary_location = "/usr/bin/chromium"
        for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=900,900",
                     "--no-first-run", "--disable-background-networking"):
            opts.add_argument(flag)
        opts.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                               "download.prompt_for_download": False})
        opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.driver = webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver",
                                                       log_output=str(Path(out) / "chromedriver.log")), options=opts)
        self.driver.set_page_load_timeout(30)
        self.driver.set_script_timeout(30)
        self.driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
        self.console = []

    def get(self, url):
        self.driver.get(url)

    def js(self, expression):
        return json.loads(self.driver.execute_script(f"return JSON.stringify({expression})") or "null")

    def click(self, css):
        from selenium.webdriver.common.by import By
        self.driver.find_element(By.CSS_SELECTOR, css).click()  # a trusted click: a user activation

    def ctrl_enter(self, css):
        """Ctrl+Enter typed into an element, as real key events."""
        from selenium.webdriver.common.action_chains import ActionChains
        from selenium.webdriver.common.by import By
        from selenium.webdriver.common.keys import Keys
        self.driver.find_element(By.CSS_SELECTOR, css).click()
        ActionChains(self.driver).key_down(Keys.CONTROL).send_keys(Keys.ENTER).key_up(Keys.CONTROL).perform()

    def full_screenshot(self, path):
        size = self.driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
        shot = self.driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "clip": {
            "x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}})
        Path(path).write_bytes(base64.b64decode(shot["data"]))

    def viewport(self, width, height):
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                    {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})

    def dark(self, on):
        self.driver.execute_cdp_cmd("Emulation.setEmulatedMedia",
                                    {"features": [{"name": "prefers-color-scheme", "value": "dark" if on else "light"}]})

    def screenshot(self, path):
        Path(path).write_bytes(base64.b64decode(self.driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png"})["data"]))

    def console_errors(self):
        """Console errors, uncaught exceptions and failed loads since the last call."""
        entries = self.driver.get_log("browser")
        self.console += entries
        return [e["message"] for e in entries if e["level"] == "SEVERE"]

    def close(self):
        self.driver.quit()


class BidiSession:
    def __init__(self, url, timeout):
        from websockets.sync.client import connect
        self.ws = connect(url, max_size=None, open_timeout=timeout)
        self.ids = itertools.count(1)
        self.events = []

    def send(self, method, timeout=30, **params):
        i = next(self.ids)
        self.ws.send(json.dumps({"id": i, "method": method, "params": params}))
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"firefox: no answer to {method} in {timeout} s")
            msg = json.loads(self.ws.recv(timeout=left))
            if msg.get("id") == i:
                if msg.get("type") == "error":
                    raise RuntimeError(f"firefox: {method}: {msg.get('error')}: {msg.get('message')}")
                return msg["result"]
            if msg.get("type") == "event":
                self.events.append(msg)


class Firefox(Browser):
    name = "firefox"

    def __init__(self, downloads, out, env):
        self.profile = tempfile.TemporaryDirectory(prefix="koe-firefox-")
        prefs = {
            "media.autoplay.default": 0, "media.autoplay.blocking_policy": 0,
            "browser.download.folderList": 2, "browser.download.dir": str(downloads),
            "browser.download.useDownloadDir": True, "browser.download.always_ask_before_handling_new_types": False,
            "browser.download.start_downloads_in_tmp_dir": False, "browser.download.alwaysOpenPanel": False,
            # Dark: Chromium's screenshots are light, Firefox's dark, so both schemes are seen.
            "layout.css.prefers-color-scheme.content-override": 0, "ui.systemUsesDarkTheme": 1,
            "browser.shell.checkDefaultBrowser": False, "datareporting.policy.dataSubmissionEnabled": False,
            "app.update.enabled": False, "browser.aboutwelcome.enabled": False,
        }
        Path(self.profile.name, "user.js").write_text("".join(f'user_pref("{k}", {json.dumps(v)});\n' for k, v in prefs.items()))
        port = free_port()
        self.log = open(Path(out) / "firefox.log", "w")
        self.proc = subprocess.Popen(["/usr/bin/firefox-esr", "--headless", "--no-remote", "--profile", self.profile.name,
                                      f"--remote-debugging-port={port}", "about:blank"],
                                     stdout=self.log, stderr=self.log, env=env, start_new_session=True)
        end = time.monotonic() + 60
        while True:
            try:
                self.bidi = BidiSession(f"ws://127.0.0.1:{port}/session", timeout=5)
                break
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"firefox exited with {self.proc.returncode} before WebDriver BiDi answered; see firefox.log")
                if time.monotonic() > end:
                    self.close()
                    raise TimeoutError("firefox: WebDriver BiDi did not answer in 60 s")
                time.sleep(0.2)
        self.bidi.send("session.new", capabilities={})
        self.bidi.send("session.subscribe", events=["log.entryAdded"])
        self.ctx = self.bidi.send("browsingContext.getTree")["contexts"][0]["context"]
        self.viewport(900, 900)
        self.seen = 0

    def get(self, url):
        self.bidi.send("browsingContext.navigate", context=self.ctx, url=url, wait="complete")

    def js(self, expression):
        r = self.bidi.send("script.evaluate", expression=f"JSON.stringify({expression})", target={"context": self.ctx},
                           awaitPromise=False)
        if r.get("type") == "exception":
            raise RuntimeError(f"firefox: {expression[:60]}…: {r['exceptionDetails'].get('text')}")
        return json.loads(r["result"].get("value") or "null")

    def click(self, css):
        nodes = self.bidi.send("browsingContext.locateNodes", context=self.ctx, locator={"type": "css", "value": css})["nodes"]
        if not nodes:
            raise RuntimeError(f"firefox: no element {css}")
        self.js(f"document.querySelector({json.dumps(css)}).scrollIntoView({{block: 'center'}}), true")
        self.bidi.send("input.performActions", context=self.ctx, actions=[{
            "type": "pointer", "id": "mouse", "actions": [
                {"type": "pointerMove", "x": 0, "y": 0, "origin": {"type": "element", "element": {"sharedId": nodes[0]["sharedId"]}}},
                {"type": "pointerDown", "button": 0}, {"type": "pointerUp", "button": 0}]}])

    def ctrl_enter(self, css):
        """Ctrl+Enter typed into an element, as real key events."""
        self.click(css)
        self.bidi.send("input.performActions", context=self.ctx, actions=[{"type": "key", "id": "keyboard", "actions": [
            {"type": "keyDown", "value": "\ue009"}, {"type": "keyDown", "value": "\ue007"},
            {"type": "keyUp", "value": "\ue007"}, {"type": "keyUp", "value": "\ue009"}]}])

    def viewport(self, width, height):
        self.bidi.send("browsingContext.setViewport", context=self.ctx, viewport={"width": width, "height": height})

    def dark(self, on):
        pass  # the profile asks for dark pages throughout

    def screenshot(self, path):
        Path(path).write_bytes(base64.b64decode(self.bidi.send("browsingContext.captureScreenshot", context=self.ctx)["data"]))

    def console_errors(self):
        """The page's console errors and uncaught exceptions since the last call (the browser's
        own messages, such as failed update checks without a network, are not the page's)."""
        new = self.bidi.events[self.seen:]
        self.seen = len(self.bidi.events)
        return [f"{e['params'].get('type')}: {e['params'].get('text')}" for e in new
                if e["method"] == "log.entryAdded" and e["params"].get("level") == "error"
                and e["params"].get("source", {}).get("context") == self.ctx]

    def close(self):
        try:
            if hasattr(self, "bidi"):
                self.bidi.send("browser.close", timeout=10)
            self.proc.wait(timeout=20)
        except Exception:
            pass
        finally:
            if self.proc.poll() is None:
                os.killpg(self.proc.pid, 9)
                self.proc.wait()
            self.log.close()
            self.profile.cleanup()
